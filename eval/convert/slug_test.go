package convert_test

import (
	"testing"

	"github.com/billtriage/billtriage/eval/convert"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Credit reporting, credit repair services, or other personal consumer reports", "credit_reporting_credit_repair_services_or_other_personal_consumer_reports"},
		{"Problem with a credit reporting company's investigation", "problem_with_a_credit_reporting_company_s_investigation"},
		{"reverted_card_payment?", "reverted_card_payment"},
		{"  Vehicle loan or lease ", "vehicle_loan_or_lease"},
		{"Money transfer, virtual currency, or money service", "money_transfer_virtual_currency_or_money_service"},
		{"Prêt étudiant", "pr_t_tudiant"},
		{"???", ""},
	}
	for _, tc := range tests {
		if got := convert.Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

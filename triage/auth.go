package triage

import (
	"context"
	"time"
)

// Role is what an API key or a UI session may do.
type Role string

// Roles. A team role works its own queue; analyst reads everything and
// writes nothing; integration is a system upstream (the ERP connector) that
// submits exceptions and posting results and reads nothing; admin does
// everything, including policy and models.
const (
	RoleAdmin       Role = "admin"
	RoleFinance     Role = "finance"
	RoleRevOps      Role = "revops"
	RoleTax         Role = "tax"
	RoleSupport     Role = "support"
	RoleAnalyst     Role = "analyst"
	RoleIntegration Role = "integration"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleFinance, RoleRevOps, RoleTax, RoleSupport, RoleAnalyst, RoleIntegration}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller.
type Principal struct {
	KeyID int64  `json:"key_id"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
}

// System is the principal of one of the service's own batch jobs (a load,
// an eval replay): it acts as an admin, named for the job so its audit
// rows say which job acted.
func System(job string) Principal { return Principal{Name: job, Role: RoleAdmin} }

// Actor is how the principal appears in the audit log.
func (p Principal) Actor() string { return string(p.Role) + ":" + p.Name }

// Queues returns the queues p may see, in stable order.
func (p Principal) Queues() []Queue {
	switch p.Role {
	case RoleAdmin, RoleAnalyst:
		return Queues
	case RoleFinance, RoleRevOps, RoleTax, RoleSupport:
		return []Queue{Queue(p.Role)}
	}
	return nil
}

// CanSee reports whether p may read items of queue q. An item not yet
// assigned to a queue is visible to admin and analyst only.
func (p Principal) CanSee(q Queue) bool {
	if q == "" {
		return p.CanReadAll()
	}
	for _, v := range p.Queues() {
		if v == q {
			return true
		}
	}
	return false
}

// CanReadAll reports whether p may read everything: every queue, and the
// operations views (deliveries) that are no one team's.
func (p Principal) CanReadAll() bool { return p.Role == RoleAdmin || p.Role == RoleAnalyst }

// CanWork reports whether p may resolve, reject or reassign items of q:
// the owning team, or an admin. An integration sees no queue, so it works
// none.
func (p Principal) CanWork(q Queue) bool {
	return p.Role == RoleAdmin || (p.Role != RoleAnalyst && p.CanSee(q))
}

// CanSubmit reports whether p may create exceptions. Every role but the
// read-only analyst may: support pastes disputes, an integration posts its
// system's exceptions with its own key.
func (p Principal) CanSubmit() bool { return p.Role.Valid() && p.Role != RoleAnalyst }

// CanReportPostings reports whether p may report ERP posting results: the
// integration that posts, or an admin.
func (p Principal) CanReportPostings() bool { return p.Role == RoleAdmin || p.Role == RoleIntegration }

// CanAdminister reports whether p may change policy or activate models.
func (p Principal) CanAdminister() bool { return p.Role == RoleAdmin }

// Authorize returns EFORBIDDEN unless ok; the message says what was
// refused without revealing whether the object exists elsewhere.
func Authorize(ok bool, p Principal, what string) error {
	if ok {
		return nil
	}
	return Errorf(EFORBIDDEN, "role %s may not %s", p.Role, what)
}

// APIKey describes a stored key; the secret itself is never stored.
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// KeyStore keeps API keys hashed.
type KeyStore interface {
	// CreateKey stores a new key and returns it with its secret, which is
	// shown once and never again.
	CreateKey(ctx context.Context, name string, role Role) (APIKey, string, error)
	ListKeys(ctx context.Context) ([]APIKey, error)
	RevokeKey(ctx context.Context, id int64) error
	// Authenticate returns the principal of a secret, EUNAUTHORIZED when
	// it is unknown or revoked.
	Authenticate(ctx context.Context, secret string) (Principal, error)
}

// Session is a signed-in UI session.
type Session struct {
	Principal Principal
	// CSRF is the token every form of the session must carry.
	CSRF      string
	ExpiresAt time.Time
}

// SessionStore keeps UI sessions; tokens are stored hashed.
type SessionStore interface {
	// CreateSession signs in the key's principal and returns the session
	// token to put in the cookie.
	CreateSession(ctx context.Context, p Principal, ttl time.Duration) (token string, s Session, err error)
	// Session returns the live session of a token, EUNAUTHORIZED when it is
	// unknown, expired, or its key was revoked.
	Session(ctx context.Context, token string) (Session, error)
	DeleteSession(ctx context.Context, token string) error
	// DeleteExpiredSessions removes every session past its expiry and
	// returns how many. Session already refuses them; deleting them keeps
	// the table from growing with every sign-in that was never signed out.
	DeleteExpiredSessions(ctx context.Context) (int64, error)
}

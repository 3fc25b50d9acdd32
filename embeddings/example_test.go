package embeddings_test

import (
	"context"
	"fmt"

	"github.com/billtriage/billtriage/embeddings"
)

func ExampleNewLocal() {
	l, err := embeddings.NewLocal(embeddings.DefaultLocalDims)
	if err != nil {
		panic(err)
	}
	vs, err := l.Embed(context.Background(), []string{
		"ERP posting failed: GL account missing for SKU X",
		"GL mapping missing, ERP rejected posting",
		"customer disputes duplicate charge on invoice",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(l.Name(), len(vs[0]))
	fmt.Println(cosine(vs[0], vs[1]) > cosine(vs[0], vs[2]))
	// Output:
	// local-hash-v1:512 512
	// true
}

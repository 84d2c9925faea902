package assert_test

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/specrun/specrun/assert"
)

func Example() {
	body := []byte(`{"content":{"response":{"result":{"items":[{"id":1,"price":12.5},{"id":2,"price":8}]}}}}`)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		panic(err)
	}

	path, err := assert.ParsePath("content.response.result.items[*].price")
	if err != nil {
		panic(err)
	}
	a, err := assert.New(path, []assert.Op{
		{Name: "count", Expected: json.Number("2")},
		{Name: "gt", Expected: json.Number("10")},
	}, assert.Options{})
	if err != nil {
		panic(err)
	}
	for _, f := range a.Check(doc, nil) {
		fmt.Println(f.Op, f.Node, f.Reason)
	}
	// Output:
	// gt $['content']['response']['result']['items'][1]['price'] not greater than 10 (node 2 of 2)
}

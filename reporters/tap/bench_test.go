package tap

import (
	"io"
	"testing"

	"github.com/specrun/specrun/reporters/internal/scenarios"
)

func BenchmarkWrite(b *testing.B) {
	r := scenarios.Big()
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

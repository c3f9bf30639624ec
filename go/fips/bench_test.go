package fips

import "testing"

// The cost of a call from Go into libfips, against the floor of any cgo call:
//
//	go test -run '^$' -bench . -benchtime 2s
//
// BenchmarkCgoTrivial: a cgo call to an empty C function (the floor of cgo itself).
// BenchmarkLibNoop: a cgo call into libfips' fips_noop (its panic boundary, nothing else).
// BenchmarkVersionToTag, BenchmarkValidateArgs: real calls, strings copied in and out, and
// for ValidateArgs the JSON report decoded into Go structs.

func BenchmarkCgoTrivial(b *testing.B) {
	for i := 0; i < b.N; i++ {
		cgoTrivial()
	}
}

func BenchmarkLibNoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if libNoop() != StatusOK {
			b.Fatal("fips_noop failed")
		}
	}
}

func BenchmarkVersionToTag(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := VersionToTag("1.22.8+fips.0", Kubernetes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateArgs(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := ValidateArgs(nil, documentedArgs); err != nil {
			b.Fatal(err)
		}
	}
}

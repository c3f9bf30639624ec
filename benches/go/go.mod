module example.invalid/fips/benches/go

go 1.26.0

replace example.invalid/fips/go/fips => ../../go/fips

require (
	example.invalid/fips/go/fips v0.0.0-00010101000000-000000000000
	k8s.io/apimachinery v0.37.2
)

module example.invalid/fips/go/fips

go 1.22

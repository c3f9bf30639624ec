module fips/tar-reference

go 1.22

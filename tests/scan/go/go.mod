module example.com/fipsscan

go 1.24

require example.com/helper v0.1.0

replace example.com/helper => ./helper

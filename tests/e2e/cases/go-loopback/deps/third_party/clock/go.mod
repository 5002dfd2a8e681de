module example.com/e2e/clock

go 1.22

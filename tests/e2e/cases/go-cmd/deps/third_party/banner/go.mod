module example.com/e2e/banner

go 1.23

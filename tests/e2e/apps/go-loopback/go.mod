module example.com/e2e/statusboard

go 1.22

// Command plugit runs the PlugIt proxy, the example services and the
// developer tools.
package main

import (
	"os"

	"github.com/plugit-go/plugit/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}

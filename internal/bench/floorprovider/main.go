// Command floorprovider serves the floor provider of the end-to-end
// benchmark (package internal/bench/floor; scripts/bench-e2e.sh builds it as
// terraform-provider-floor).
package main

import (
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/bench/floor"
)

func main() {
	if err := tf6server.Serve(floor.Address, floor.Server()); err != nil {
		log.Fatal(err.Error())
	}
}

// Command terraform-provider-opsaudit serves the opsaudit Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
)

// Generate the docs from templates/ and examples/ (see GNUmakefile: make generate).
//go:generate make -C . generate

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// Address is the provider's registry address.
const Address = "registry.terraform.io/opsaudit/opsaudit"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []provider.Option
	if !debug {
		// Terraform stops a running read through StopProvider, except
		// while `terraform apply` is still planning. A Ctrl-C also reaches
		// this process (go-plugin keeps it alive: it ignores SIGINT), so
		// requests in flight are abandoned on SIGINT as well and the read
		// fails at once instead of running to its end.
		stop, _ := signal.NotifyContext(context.Background(), os.Interrupt)
		opts = append(opts, provider.WithStop(stop))
	}
	// provider.NewServer is the framework's protocol server with data
	// source reads answered below it; served as providerserver.Serve
	// would serve the framework's own.
	var serveOpts []tf6server.ServeOpt
	if debug {
		serveOpts = append(serveOpts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(Address, provider.NewServer(version, opts...), serveOpts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

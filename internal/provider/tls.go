package provider

import (
	"context"
	"crypto/x509"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// caCertPool loads ca_cert_file, when set: the roots the transport
// trusts. A file that cannot serve is an error on the attribute.
func caCertPool(ctx context.Context, s settings, diags *diag.Diagnostics) *x509.CertPool {
	if s.CACertFile == "" {
		return nil
	}
	if s.Insecure {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Conflicting TLS settings",
			"ca_cert_file adds trusted CA certificates, and insecure = true turns certificate verification off: set one of them.")
		return nil
	}
	pool, err := transport.CACertPool(ctx, s.CACertFile)
	if err != nil {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid ca_cert_file",
			"ca_cert_file must be a readable PEM file of at most 1 MiB holding at least one CA certificate: "+err.Error()+".")
		return nil
	}
	return pool
}

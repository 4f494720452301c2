package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// CACertPool returns the roots a client trusts with the extra CA
// certificates of the PEM file at path: the system's roots plus every
// certificate of the file (private endpoints, TLS-inspecting proxies).
// The file is read through settingfile.Read (a regular file of at most
// 1 MiB, under ctx) and named ca_cert_file in its errors. It must hold at
// least one PEM certificate, and every CERTIFICATE block in it must
// parse; blocks of other types (a key kept in the same file) are
// ignored. Errors name the file, never its content.
func CACertPool(ctx context.Context, path string) (*x509.CertPool, error) {
	b, err := settingfile.Read(ctx, "ca_cert_file", path)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		// No system roots on this platform: the file's alone.
		pool = x509.NewCertPool()
	}
	n := 0
	for rest := b; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		n++
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d does not parse: %w", path, n, err)
		}
		pool.AddCert(cert)
	}
	if n == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----)", path)
	}
	return pool, nil
}

// certificateError returns err with what to do when it is a failed
// verification of the server's certificate, else nil. Such an error is
// not retried: the next attempt meets the same certificate.
func certificateError(err error) error {
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &verr) {
		return nil
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%w (if a private CA or a TLS-inspecting proxy signs this endpoint's certificate, "+
			"trust it with the provider's ca_cert_file)", err)
	}
	return err
}

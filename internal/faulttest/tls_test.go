package faulttest_test

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestFaults_privateCA: the emulator behind TLS on 127.0.0.1, with a
// certificate no system root trusts. With ca_cert_file holding that
// certificate, every data source reads its complete list; without it,
// the read fails with a certificate error that points at ca_cert_file;
// a ca_cert_file that cannot serve fails the plan, naming the setting.
func TestFaults_privateCA(t *testing.T) {
	t.Parallel()
	data := smallData()
	emu := acctest.Emulator(t, emulator.Options{Data: data})
	tlsSrv := httptest.NewTLSServer(emu.Handler())
	t.Cleanup(tlsSrv.Close)

	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// config is the provider block pointing every endpoint at the TLS
	// server, with extra settings.
	config := func(extra ...string) string {
		return strings.ReplaceAll(acctest.ProviderConfig(emu, extra...), emu.URL(), tlsSrv.URL) + allBlocks()
	}
	setting := func(p string) string { return "ca_cert_file = " + acctest.HCLString(p) }

	t.Run("trusted through ca_cert_file", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:            config(setting(caFile)),
				ConfigStateChecks: completeChecks(data),
			}},
		})
	})
	t.Run("untrusted without it", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:      config(),
				ExpectError: acctest.DiagnosticPattern("certificate signed by unknown authority", "trust it with the provider's ca_cert_file"),
			}},
		})
	})
	for name, tc := range map[string]struct{ file, want string }{
		"missing file": {filepath.Join(dir, "missing.pem"), "reading ca_cert_file: open"},
		"not PEM":      {notPEM, "holds no PEM certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config:      config(setting(tc.file)),
					PlanOnly:    true,
					ExpectError: acctest.DiagnosticPattern("Invalid ca_cert_file", tc.want),
				}},
			})
		})
	}
	t.Run("with insecure", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:      config(setting(caFile), "insecure = true"),
				PlanOnly:    true,
				ExpectError: acctest.DiagnosticPattern("Conflicting TLS settings", "ca_cert_file"),
			}},
		})
	})
}

package faulttest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// The fail-closed suite: answers a real API would never give, but a broken
// or hostile server could (the emulator's Hostile modes). A policy check
// must never pass on one: each read fails with an error that says what is
// wrong, or (for records that changed while they were read) returns the
// copies fetched last with a warning. Secrets a server echoes never reach
// the output or the logs.

// failClosed runs the data source blocks against srv and expects the
// apply to fail with an error matching want.
func failClosed(t *testing.T, srv *emulator.Server, blocks string, want *regexp.Regexp) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderConfig(srv, "max_retries = 0") + blocks,
			ExpectError: want,
		}},
	})
}

// TestFailClosed_counts: a count of 0 with items, a negative count, and a
// count without the item list each fail every offset-paged read; none
// stores a total or a partial list.
func TestFailClosed_counts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		hostile emulator.Hostile
		want    func(s source) []string
	}{
		{emulator.HostileCountZero, func(s source) []string {
			return []string{s.summary, "is 0 but the page holds", "page at offset 0"}
		}},
		{emulator.HostileCountNegative, func(s source) []string {
			return []string{s.summary, "is -5, a negative total", "page at offset 0"}
		}},
		{emulator.HostileCountNoList, func(s source) []string {
			return []string{s.summary, "the first page holds no items", "page at offset 0"}
		}},
	}
	for _, c := range cases {
		for _, s := range sources {
			if !s.offset {
				continue
			}
			t.Run(string(c.hostile)+"/"+s.name, func(t *testing.T) {
				t.Parallel()
				srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: c.hostile}})
				failClosed(t, srv, s.block, acctest.DiagnosticPattern(c.want(s)...))
			})
		}
	}
}

// TestFailClosed_ignoredOffset: a server that answers every page with the
// first one (the count steady) fails the read after the first page, for
// items with an id and without one (audit logs) alike.
func TestFailClosed_ignoredOffset(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		if !s.offset {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: emulator.HostileIgnoreOffset}})
			failClosed(t, srv, s.block, acctest.DiagnosticPattern(s.summary, "the server ignored offset", "page at offset 0"))
		})
	}
}

// TestFailClosed_projectIDs: a project id that is not one path segment
// fails the read, naming where it came from, before any request carries
// it: from IAM, from HW_PROJECT_ID, and (at plan time) from the
// configuration.
func TestFailClosed_projectIDs(t *testing.T) {
	t.Parallel()
	s := sources[0]
	t.Run("IAM", func(t *testing.T) {
		t.Parallel()
		srv := acctest.Emulator(t, emulator.Options{Data: smallData(),
			Faults: emulator.Faults{APIs: []string{emulator.APIIAM}, Hostile: emulator.HostileIAMProject}})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config: acctest.ProviderConfigWith(srv, acctest.Credentials{OmitProjectID: true}) + s.block,
				ExpectError: acctest.DiagnosticPattern(s.summary, `the project id "p1/extra?x=1#f" from the IAM project lookup`,
					"is not one path segment"),
			}},
		})
		if n := len(srv.Recorded(emulator.APIIAM)); n == 0 {
			t.Error("the IAM lookup was not made")
		}
		if n := len(srv.Recorded(s.api)); n != 0 {
			t.Errorf("%d requests were sent with the IAM project id", n)
		}
	})
	t.Run("configuration", func(t *testing.T) {
		t.Parallel()
		srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:      acctest.ProviderConfigWith(srv, acctest.Credentials{ProjectID: "p1/extra"}) + s.block,
				ExpectError: acctest.DiagnosticPattern("huaweicloud.project_id", "must be one path segment"),
			}},
		})
		if n := len(srv.Recorded(s.api)); n != 0 {
			t.Errorf("%d requests were sent", n)
		}
	})
}

// TestCLI_echoedSecretsMasked: every request is refused with an error whose
// text echoes the request's Authorization and security token headers and
// the secret key (and whose request id header echoes the token). Through
// the Terraform CLI at TF_LOG=trace, neither the diagnostics Terraform
// prints nor the log (where the plugin SDK writes every error diagnostic)
// nor anything else may contain them; the error still shows its code.
func TestCLI_echoedSecretsMasked(t *testing.T) {
	t.Parallel()
	hwAK, hwSK, hwToken := "HWTEMPAK"+randomHex(t, 6), "hw-sk-"+randomHex(t, 16), "hw-sts-"+randomHex(t, 40)
	aliAK, aliSK, aliToken := "STS.ALIAK"+randomHex(t, 6), "ali-sk-"+randomHex(t, 16), "ali-sts-"+randomHex(t, 40)
	srv := acctest.Emulator(t, emulator.Options{
		Data:            smallData(),
		HuaweiAccessKey: hwAK, HuaweiSecretKey: hwSK, HuaweiSecurityToken: hwToken,
		AliAccessKey: aliAK, AliSecretKey: aliSK, AliSecurityToken: aliToken,
		Faults: emulator.Faults{Hostile: emulator.HostileEchoSecrets},
	})
	config := providerBlock(srv,
		[]string{fmt.Sprintf("access_key = %q", hwAK), fmt.Sprintf("secret_key = %q", hwSK), fmt.Sprintf("security_token = %q", hwToken)},
		[]string{fmt.Sprintf("access_key = %q", aliAK), fmt.Sprintf("secret_key = %q", aliSK), fmt.Sprintf("security_token = %q", aliToken)},
		"max_retries = 0",
	) + allBlocks()
	w := newWorkdir(t, config)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath}, "plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatal("the plan succeeded against a server refusing every request")
	}
	trace, rerr := os.ReadFile(logPath)
	if rerr != nil {
		t.Fatal(rerr)
	}
	out := stdout + stderr
	for _, code := range []string{"APIGW.0301", "SecMaster.00040100", "IncompleteSignature", "Signature=***"} {
		if !strings.Contains(out, code) {
			t.Errorf("the output does not show %q:\n%s", code, out)
		}
	}
	if !strings.Contains(string(trace), "Incorrect IAM authentication information") {
		t.Error("the trace log does not hold the error diagnostics")
	}
	secrets := map[string]string{"Huawei secret key": hwSK, "Huawei security token": hwToken,
		"Alibaba secret key": aliSK, "Alibaba security token": aliToken}
	for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents, emulator.APIAuditLogs, emulator.APIExecutionLogs} {
		recs := srv.Recorded(api)
		if len(recs) == 0 {
			t.Fatalf("no request recorded for %s", api)
		}
		for i, r := range recs {
			for _, m := range signatureRE.FindAllStringSubmatch(r.Header.Get("Authorization"), -1) {
				secrets[fmt.Sprintf("signature of %s request %d", api, i)] = m[1]
			}
		}
	}
	for name, text := range map[string]string{"output": out, "trace log": string(trace)} {
		for what, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("the %s contains the %s", name, what)
			}
		}
	}
}

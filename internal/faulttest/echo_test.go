package faulttest_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/leakcheck"
)

// base64Secret is a random secret of n characters made like STS tokens
// are: standard base64, so it holds "+", "/" and "=", which every form of
// escaping changes.
func base64Secret(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	s := base64.StdEncoding.EncodeToString(b)[:n-1] + "="
	if !strings.ContainsAny(s, "+/") {
		s = s[:n/2] + "+/" + s[n/2+2:]
	}
	return s
}

// traced runs terraform args with TF_LOG=trace and returns what it printed
// and its log; wantOK says whether it must succeed.
func traced(t *testing.T, w *workdir, wantOK bool, args ...string) (out, trace string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath}, args...)
	if (err == nil) != wantOK {
		t.Fatalf("terraform %s: error %v, want success %v\n%s%s", strings.Join(args, " "), err, wantOK, stdout, stderr)
	}
	b, rerr := os.ReadFile(logPath)
	if rerr != nil {
		t.Fatal(rerr)
	}
	return stdout + stderr, string(b)
}

// noLeaks fails the test when a run of any secret (leakcheck.Leak: whole,
// any 16 characters in a row, escaped or encoded) shows in any text.
func noLeaks(t *testing.T, secrets, texts map[string]string) {
	t.Helper()
	for name, text := range texts {
		for what, s := range secrets {
			if leak := leakcheck.Leak(text, s); leak != "" {
				t.Errorf("the %s shows the %s: %s", name, what, leak)
			}
		}
	}
}

// TestCLI_echoedFormsMasked: every request is refused with an error whose
// message sends back the request's security token (1,505 characters, as
// long as STS tokens get) and the secret key in every form a server might:
// cut to half, a run from the middle, JSON-escaped (\/, \u002B),
// HTML-escaped (&#x2F;, &#43;, &amp;, &sol;), URL-encoded (once and
// twice), HTML inside JSON; the request id header sends the token
// URL-encoded. Through the Terraform CLI at TF_LOG=trace, for both clouds:
// no run of 16 characters of any of them reaches what Terraform prints or
// the log, while the errors themselves do (their codes are shown).
func TestCLI_echoedFormsMasked(t *testing.T) {
	t.Parallel()
	hwAK, hwSK, hwToken := "HWTEMPAK"+randomHex(t, 6), base64Secret(t, 40), base64Secret(t, 1505)
	aliAK, aliSK, aliToken := "STS.ALIAK"+randomHex(t, 6), base64Secret(t, 30), base64Secret(t, 1505)
	srv := acctest.Emulator(t, emulator.Options{
		Data:            smallData(),
		HuaweiAccessKey: hwAK, HuaweiSecretKey: hwSK, HuaweiSecurityToken: hwToken,
		AliAccessKey: aliAK, AliSecretKey: aliSK, AliSecurityToken: aliToken,
		Faults: emulator.Faults{Hostile: emulator.HostileEchoForms},
	})
	config := providerBlock(srv,
		[]string{fmt.Sprintf("access_key = %q", hwAK), fmt.Sprintf("secret_key = %q", hwSK), fmt.Sprintf("security_token = %q", hwToken)},
		[]string{fmt.Sprintf("access_key = %q", aliAK), fmt.Sprintf("secret_key = %q", aliSK), fmt.Sprintf("security_token = %q", aliToken)},
		"max_retries = 0",
	) + allBlocks()
	out, trace := traced(t, newWorkdir(t, config), false, "plan", "-input=false", "-no-color")
	for _, code := range []string{"APIGW.0301", "SecMaster.00040100", "IncompleteSignature", "The request was refused", "json:", "html:"} {
		if !strings.Contains(out, code) {
			t.Errorf("the output does not show %q:\n%s", code, out)
		}
	}
	if !strings.Contains(trace, "The request was refused") {
		t.Error("the trace log does not hold the error diagnostics")
	}
	noLeaks(t, map[string]string{"Huawei secret key": hwSK, "Huawei security token": hwToken,
		"Alibaba secret key": aliSK, "Alibaba security token": aliToken},
		map[string]string{"output": out, "trace log": trace})
}

// TestCLI_projectIDEchoMasked: IAM answers the project lookup with an id
// that holds the request's security token (not a path segment): the read
// fails naming the IAM lookup, and no run of the token shows in the output
// or the log (the refusal used to quote 256 characters of it).
func TestCLI_projectIDEchoMasked(t *testing.T) {
	t.Parallel()
	hwAK, hwSK, hwToken := "HWTEMPAK"+randomHex(t, 6), base64Secret(t, 40), base64Secret(t, 1505)
	srv := acctest.Emulator(t, emulator.Options{
		Data:            smallData(),
		HuaweiAccessKey: hwAK, HuaweiSecretKey: hwSK, HuaweiSecurityToken: hwToken,
		Faults: emulator.Faults{APIs: []string{emulator.APIIAM}, Hostile: emulator.HostileIAMEcho},
	})
	s := sourceFor(emulator.APIScriptRecords)
	config := fmt.Sprintf(`provider "opsaudit" {
  huaweicloud {
    region         = %q
    endpoints      = { iam = %q, workspace = %q }
    access_key     = %q
    secret_key     = %q
    security_token = %q
  }
}
`, emulator.DemoRegionHuawei, srv.URL(), srv.URL(), hwAK, hwSK, hwToken) + s.block
	out, trace := traced(t, newWorkdir(t, config), false, "plan", "-input=false", "-no-color")
	if !acctest.DiagnosticPattern(s.summary, "the project id", "from the IAM project lookup", "is not one path segment").MatchString(out) {
		t.Errorf("the output does not refuse the project id:\n%s", out)
	}
	if n := len(srv.Recorded(s.api)); n != 0 {
		t.Errorf("%d requests were sent with the echoed project id", n)
	}
	noLeaks(t, map[string]string{"Huawei secret key": hwSK, "Huawei security token": hwToken},
		map[string]string{"output": out, "trace log": trace})
}

// TestCLI_metadataTokenMasked: with an Alibaba instance role, the
// provider asks the instance metadata for a session token and sends it in
// X-aliyun-ecs-metadata-token. At TF_LOG=trace the request headers are
// logged: that header's value is masked like the other credential headers
// (it was logged in clear: tflog masks string fields, not a map's values),
// and no secret the credential services issued (the session token, the
// role's secret and security token) shows in the log or the output.
func TestCLI_metadataTokenMasked(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	s := sourceFor(emulator.APIExecutionLogs)
	config := fmt.Sprintf(`provider "opsaudit" {
  alicloud {
    region        = %q
    endpoints     = { oos = %q, imds = %q }
    ecs_role_name = %q
  }
}
`, emulator.DemoRegionAli, srv.URL(), srv.URL(), emulator.DemoAliECSRoleName) + s.block
	out, trace := traced(t, newWorkdir(t, config), true, "plan", "-input=false", "-no-color")
	if !strings.Contains(trace, "X-Aliyun-Ecs-Metadata-Token:***") {
		t.Errorf("the trace log does not show the metadata token header masked")
	}
	issued := srv.IssuedSecrets()
	if len(issued) < 3 {
		t.Fatalf("the emulator issued %d secrets, want a session token and the role's credentials", len(issued))
	}
	secrets := map[string]string{}
	for i, v := range issued {
		secrets[fmt.Sprintf("issued secret %d", i)] = v
	}
	noLeaks(t, secrets, map[string]string{"output": out, "trace log": trace})
}

package faulttest_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/leakcheck"
)

// signatureRE finds the signature of an Authorization header of either
// cloud ("..., Signature=hex" and "...,Signature=hex").
var signatureRE = regexp.MustCompile(`Signature=([0-9A-Za-z+/=_-]+)`)

// TestCLI_noSecretLeaks runs the Terraform CLI with TF_LOG=trace over
// every data source with temporary credentials of both clouds (access key,
// secret key and security token), some set in the provider block and some
// in the environment: a plan, an apply, and a plan failing with a wrong
// secret key. No secret key, security token or request signature may
// appear in the trace logs, in what Terraform printed, or in the state;
// the logs must show that requests were logged, with their credentials
// masked.
func TestCLI_noSecretLeaks(t *testing.T) {
	t.Parallel()
	hwAK, hwSK, hwToken := "HWTEMPAK"+randomHex(t, 6), "hw-sk-"+randomHex(t, 16), "hw-sts-"+randomHex(t, 40)
	aliAK, aliSK, aliToken := "STS.ALIAK"+randomHex(t, 6), "ali-sk-"+randomHex(t, 16), "ali-sts-"+randomHex(t, 40)
	wrongSK := "wrong-sk-" + randomHex(t, 16)
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{
		Data:            data,
		HuaweiAccessKey: hwAK, HuaweiSecretKey: hwSK, HuaweiSecurityToken: hwToken,
		AliAccessKey: aliAK, AliSecretKey: aliSK, AliSecurityToken: aliToken,
	})

	// Huawei: access key and token in the block, the secret key from
	// HW_SECRET_KEY. Alibaba: secret key and token in the block, the
	// access key from ALIBABA_CLOUD_ACCESS_KEY_ID.
	config := providerBlock(srv,
		[]string{fmt.Sprintf("access_key = %q", hwAK), fmt.Sprintf("security_token = %q", hwToken)},
		[]string{fmt.Sprintf("secret_key = %q", aliSK), fmt.Sprintf("security_token = %q", aliToken)},
	) + allBlocks() + countsOutput()
	w := newWorkdir(t, config, "ALIBABA_CLOUD_ACCESS_KEY_ID="+aliAK)
	logs := t.TempDir()
	type artifact struct{ name, text string }
	var artifacts []artifact
	terraform := func(name, secretKey string, wantOK bool, args ...string) string {
		t.Helper()
		logPath := filepath.Join(logs, name+".log")
		stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath, "HW_SECRET_KEY=" + secretKey}, args...)
		if (err == nil) != wantOK {
			t.Fatalf("terraform %s: error %v, want success %v\nstdout:\n%s\nstderr:\n%s", name, err, wantOK, stdout, stderr)
		}
		b, rerr := os.ReadFile(logPath)
		if rerr != nil {
			t.Fatalf("terraform %s wrote no trace log: %v", name, rerr)
		}
		artifacts = append(artifacts,
			artifact{name + " stdout", stdout}, artifact{name + " stderr", stderr}, artifact{name + " trace log", string(b)})
		return stdout + stderr
	}

	terraform("plan", hwSK, true, "plan", "-input=false", "-no-color")
	applied := terraform("apply", hwSK, true, "apply", "-auto-approve", "-input=false", "-no-color")
	var counts []string
	for _, src := range sources {
		counts = append(counts, fmt.Sprintf(`%d,\s*`, len(src.want(data))))
	}
	wantCounts := regexp.MustCompile(`(?m)^counts = \[\s*` + strings.Join(counts, "") + `\]`)
	if !wantCounts.MatchString(applied) {
		t.Errorf("apply output does not show the complete counts (%s):\n%s", wantCounts, applied)
	}
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	artifacts = append(artifacts, artifact{"terraform.tfstate", string(state)})
	beforeFailure := len(srv.Recorded(emulator.APIScriptRecords))
	failed := terraform("failing plan", wrongSK, false, "plan", "-refresh=true", "-input=false", "-no-color")
	if !strings.Contains(failed, "Error code: APIG.0301") {
		t.Errorf("the failing plan does not show the 401:\n%s", failed)
	}
	if len(srv.Recorded(emulator.APIScriptRecords)) == beforeFailure {
		t.Fatal("the failing plan sent no request with the wrong secret key")
	}

	// Every signature any request carried, wrong-key ones included.
	secrets := map[string]string{
		"Huawei secret key": hwSK, "Huawei security token": hwToken,
		"Alibaba secret key": aliSK, "Alibaba security token": aliToken, "wrong secret key": wrongSK,
	}
	for _, api := range []string{emulator.APIIAM, emulator.APIScriptRecords, emulator.APIDesktopEvents, emulator.APIAuditLogs, emulator.APIExecutionLogs} {
		recs := srv.Recorded(api)
		if api != emulator.APIIAM && len(recs) == 0 {
			t.Fatalf("no request recorded for %s", api)
		}
		for i, r := range recs {
			for _, h := range []string{"Authorization", "X-Acs-Signature"} {
				for _, m := range signatureRE.FindAllStringSubmatch(r.Header.Get(h), -1) {
					secrets[fmt.Sprintf("signature of %s request %d", api, i)] = m[1]
				}
				if h == "X-Acs-Signature" && r.Header.Get(h) != "" {
					secrets[fmt.Sprintf("x-acs-signature of %s request %d", api, i)] = r.Header.Get(h)
				}
			}
		}
	}
	if len(secrets) < 5+4*2 {
		t.Fatalf("only %d secrets and signatures collected", len(secrets))
	}
	for _, a := range artifacts {
		for what, s := range secrets {
			if len(s) < 16 {
				t.Fatalf("%s %q is too short to look for", what, s)
			}
			if leak := leakcheck.Leak(a.text, s); leak != "" {
				t.Errorf("%s shows the %s: %s", a.name, what, leak)
			}
		}
	}

	// The logs prove that requests were logged, structured, with their
	// credentials masked rather than left out.
	for _, a := range artifacts {
		if !strings.HasSuffix(a.name, "trace log") {
			continue
		}
		for _, want := range []string{
			"HTTP request:", "operation=ListScriptExecutionRecords", "operation=ListKeyDesktopEvents",
			"operation=ListPlaybookAuditLogs", "operation=ListExecutionLogs", "status=200", "attempt=1", "request_id=",
			"Authorization:***", "X-Security-Token:***", "X-Acs-Security-Token:***",
		} {
			if a.name == "failing plan trace log" && want == "status=200" {
				want = "status=401"
			}
			if !strings.Contains(a.text, want) {
				t.Errorf("%s does not contain %q", a.name, want)
			}
		}
	}
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// countsOutput is an output "counts": the number of items every data
// source's block of allBlocks read, in order.
func countsOutput() string {
	var b strings.Builder
	b.WriteString("\noutput \"counts\" {\n  value = [\n")
	for _, src := range sources {
		fmt.Fprintf(&b, "    length(%s.%s),\n", src.addr(), src.list)
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

package faulttest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/leakcheck"
)

// TestCLI_noSecretLeaksInCredentialFlows runs the Terraform CLI with
// TF_LOG=trace over every data source with credentials obtained
// through the OIDC and assume-role flows of both clouds (an OIDC token
// traded for temporary credentials, then those for a role's), plus a
// failing plan with a forged id token. No id token, issued secret key,
// security token, IAM token or request signature may appear in the trace
// logs, in what Terraform printed, or in the state; the logs name the
// credential source used.
func TestCLI_noSecretLeaksInCredentialFlows(t *testing.T) {
	t.Parallel()
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	hwToken, err := emulator.IDToken("ci-huawei", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	aliToken, err := emulator.IDToken("ci-alicloud", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	forged := hwToken[:len(hwToken)-4] + "AAAA"
	if forged == hwToken {
		forged = hwToken[:len(hwToken)-4] + "BBBB"
	}
	tokenFile := filepath.Join(t.TempDir(), "ali-token")
	if err := os.WriteFile(tokenFile, []byte(aliToken), 0o600); err != nil {
		t.Fatal(err)
	}

	// Huawei: the OIDC source from the environment alone (its token in
	// HW_ASSUME_ROLE_ID_TOKEN), then the agency in the block. Alibaba: the
	// OIDC block with a token file, then assume_role.
	config := credentialFlowBlock(srv, tokenFile) + allBlocks()
	w := newWorkdir(t, config,
		"HW_ASSUME_ROLE_IDP_ID="+emulator.DemoHuaweiIdpID)
	logs := t.TempDir()
	type artifact struct{ name, text string }
	var artifacts []artifact
	terraform := func(name, idToken string, wantOK bool, args ...string) string {
		t.Helper()
		logPath := filepath.Join(logs, name+".log")
		stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath, "HW_ASSUME_ROLE_ID_TOKEN=" + idToken}, args...)
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

	terraform("apply", hwToken, true, "apply", "-auto-approve", "-input=false", "-no-color")
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	artifacts = append(artifacts, artifact{"terraform.tfstate", string(state)})
	failed := terraform("failing plan", forged, false, "plan", "-refresh=true", "-input=false", "-no-color")
	if !strings.Contains(failed, "IAM.1002") {
		t.Errorf("the failing plan does not show the IAM error code:\n%s", failed)
	}

	secrets := map[string]string{"Huawei id token": hwToken, "Alibaba OIDC token": aliToken, "forged id token": forged}
	for i, s := range srv.IssuedSecrets() {
		secrets[fmt.Sprintf("issued secret %d", i)] = s
	}
	for _, api := range []string{emulator.APISecurityTokens, emulator.APIIDTokenTokens, emulator.APISTS,
		emulator.APIDesktopEvents, emulator.APIScriptRecords, emulator.APIAuditLogs, emulator.APIExecutionLogs} {
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
	// Two id-token exchanges' IAM tokens, and at least two keys and
	// tokens per cloud (OIDC, then the role).
	if n := len(srv.IssuedSecrets()); n < 2*2*2+1 {
		t.Fatalf("only %d issued secrets", n)
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

	// The logs show the flows ran and which source was used.
	for _, a := range artifacts {
		if a.name != "apply trace log" {
			continue
		}
		for _, want := range []string{
			"Using Huawei Cloud credentials from assume_role_with_oidc", "Using Huawei Cloud credentials from assume_role",
			"Using Alibaba Cloud credentials from assume_role_with_oidc", "Using Alibaba Cloud credentials from assume_role",
			"operation=CreateTokenWithIdToken", "operation=CreateTemporaryAccessKeyByToken",
			"operation=CreateTemporaryAccessKeyByAgency", "operation=AssumeRoleWithOIDC", "operation=AssumeRole",
			"Authorization:***",
		} {
			if !strings.Contains(a.text, want) {
				t.Errorf("%s does not contain %q", a.name, want)
			}
		}
	}
}

// credentialFlowBlock is a provider block for srv whose credentials come
// from the OIDC and assume-role flows (Huawei's OIDC settings from the
// environment).
func credentialFlowBlock(srv *emulator.Server, aliTokenFile string) string {
	return fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    project_id = %[3]q
    endpoints  = { iam = %[1]q, workspace = %[1]q, secmaster = %[1]q }
    assume_role {
      agency_name = %[4]q
      domain_name = %[5]q
    }
  }
  alicloud {
    region    = %[6]q
    endpoints = { oos = %[1]q, sts = %[1]q, imds = %[1]q }
    assume_role_with_oidc {
      oidc_provider_arn = %[7]q
      role_arn          = %[8]q
      oidc_token_file   = %[9]q
    }
    assume_role {
      role_arn = %[8]q
    }
  }
}
`, srv.URL(), emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei],
		emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomain, emulator.DemoRegionAli,
		emulator.DemoAliOIDCProviderARN, emulator.DemoAliRoleARN, aliTokenFile)
}

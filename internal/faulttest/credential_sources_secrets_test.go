package faulttest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestCLI_noSecretLeaksInCredentialSources runs the Terraform CLI with
// TF_LOG=trace over all four data sources with credentials from the
// sources beyond keys and OIDC: Huawei ECS metadata (its session token)
// then a chain of agencies (IAM v5, then v3); Huawei's official OIDC
// environment, whose exchanged credentials assume an agency through IAM
// v5; an aliyun CLI ChainableRamRoleArn profile; the SDKs' INI file and a
// profile of mode CredentialsURI. No metadata token, IAM token, issued
// secret key, security token, id token or signature may appear in the
// trace logs, in what Terraform printed, or in the state; the logs name
// each source used.
func TestCLI_noSecretLeaksInCredentialSources(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	idToken, err := emulator.IDToken("ci-huawei", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tokenFile := write("hw-token", idToken)
	cliFile, err := json.Marshal(map[string]any{"current": "chain", "profiles": []map[string]any{
		{"name": "role", "mode": "RamRoleArn", "access_key_id": emulator.DemoAliAccessKey, "access_key_secret": emulator.DemoAliSecretKey,
			"ram_role_arn": emulator.DemoAliRoleARN},
		{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": emulator.DemoAliRoleARN},
		{"name": "uri", "mode": "CredentialsURI", "credentials_uri": srv.URL() + emulator.CredentialsURIPath},
	}})
	if err != nil {
		t.Fatal(err)
	}
	aliyunFile := write("aliyun.json", string(cliFile))
	iniFile := write("credentials", "[default]\ntype = ram_role_arn\naccess_key_id = "+emulator.DemoAliAccessKey+
		"\naccess_key_secret = "+emulator.DemoAliSecretKey+"\nrole_arn = "+emulator.DemoAliRoleARN+"\nrole_session_name = ini\n")

	flows := []struct {
		name   string
		hw     string
		env    []string
		logged []string
	}{
		{"ECS metadata and an agency chain; a ChainableRamRoleArn profile",
			fmt.Sprintf("use_ecs_metadata = true\n    assume_role {\n      agency_name = %q\n      domain_id = %q\n    }\n"+
				"    assume_role {\n      agency_name = %q\n      domain_name = %q\n    }", emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomainID,
				emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomain),
			[]string{"ALICLOUD_SHARED_CREDENTIALS_FILE=" + aliyunFile},
			[]string{"Using Huawei Cloud credentials from ECS instance metadata", "Using Huawei Cloud credentials from assume_role[1]",
				"operation=GetMetadataToken", "operation=GetSecurityKey", "operation=AssumeAgency", "operation=CreateTemporaryAccessKeyByAgency",
				"Using Alibaba Cloud credentials from the role of profile", "X-Metadata-Token:***"}},
		{"the official Huawei OIDC environment; the INI file",
			"",
			[]string{"HW_ASSUME_ROLE_IDP_ID=" + emulator.DemoHuaweiIdpID, "HW_ASSUME_ROLE_ID_TOKEN_FILE=" + tokenFile,
				"HW_ASSUME_ROLE_AGENCY_NAME=" + emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_ID=" + emulator.DemoHuaweiDomainID,
				"ALIBABA_CLOUD_CREDENTIALS_FILE=" + iniFile},
			[]string{"Using Huawei Cloud credentials from assume_role_with_oidc", "Using Huawei Cloud credentials from the agency of assume_role_with_oidc",
				"operation=CreateTokenWithIdToken", "operation=AssumeAgency", "Using Alibaba Cloud credentials from the role of profile"}},
		{"a CredentialsURI profile", "",
			[]string{"HW_ACCESS_KEY=" + emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY=" + emulator.DemoHuaweiSecretKey,
				"ALIBABA_CLOUD_CONFIG_FILE=" + aliyunFile, "ALIBABA_CLOUD_PROFILE=uri"},
			[]string{"(CredentialsURI)", "operation=GetCredentialsURI"}},
	}
	for _, f := range flows {
		config := fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    project_id = %[3]q
    endpoints  = { iam = %[1]q, sts = %[1]q, workspace = %[1]q, secmaster = %[1]q, metadata = %[1]q }
    %[4]s
  }
  alicloud {
    region    = %[5]q
    endpoints = { oos = %[1]q, sts = %[1]q, imds = %[1]q }
  }
}
`, srv.URL(), emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei], f.hw, emulator.DemoRegionAli) + allBlocks()
		w := newWorkdir(t, config, f.env...)
		logPath := filepath.Join(dir, strings.ReplaceAll(f.name, " ", "-")+".log")
		stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath}, "apply", "-auto-approve", "-input=false", "-no-color")
		if err != nil {
			t.Fatalf("%s: terraform apply: %v\nstdout:\n%s\nstderr:\n%s", f.name, err, stdout, stderr)
		}
		log, err := os.ReadFile(logPath)
		if err != nil {
			t.Fatal(err)
		}
		state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range f.logged {
			if !strings.Contains(string(log), want) {
				t.Errorf("%s: the trace log does not contain %q", f.name, want)
			}
		}
		secrets := map[string]string{"id token": idToken, "Alibaba secret key": emulator.DemoAliSecretKey, "Huawei secret key": emulator.DemoHuaweiSecretKey}
		for i, s := range srv.IssuedSecrets() {
			secrets[fmt.Sprintf("issued secret %d", i)] = s
		}
		for _, api := range []string{emulator.APIDesktopEvents, emulator.APIExecutionLogs, emulator.APISTS, emulator.APIAssumeAgency} {
			for i, r := range srv.Recorded(api) {
				for _, m := range signatureRE.FindAllStringSubmatch(r.Header.Get("Authorization"), -1) {
					secrets[fmt.Sprintf("signature of %s request %d", api, i)] = m[1]
				}
				// STS is signed with SignatureVersion 1.0: its signature
				// is a parameter.
				if q, err := url.ParseQuery(r.RawQuery); err == nil && q.Get("Signature") != "" {
					secrets[fmt.Sprintf("RPC signature of %s request %d", api, i)] = q.Get("Signature")
				}
			}
		}
		t.Run(f.name, func(t *testing.T) {
			noLeaks(t, secrets, map[string]string{"trace log": string(log), "stdout": stdout, "stderr": stderr, "state": string(state)})
		})
	}
	for _, api := range []string{emulator.APIHuaweiMetadata, emulator.APIAssumeAgency, emulator.APISecurityTokens, emulator.APIIDTokenTokens,
		emulator.APISTS, emulator.APICredentialsURI} {
		if srv.Requests(api) == 0 {
			t.Errorf("no %s request: a flow did not run", api)
		}
	}
}

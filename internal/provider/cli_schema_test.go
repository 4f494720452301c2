package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestCLIProvidersSchema builds the provider binary and asks the Terraform
// CLI for its schema through a dev override, as a user would see it.
func TestCLIProvidersSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the Terraform CLI and a provider build; run by make test")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform not found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does this)")
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-opsaudit"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The registry host the CLI resolves "opsaudit/opsaudit" to:
	// registry.terraform.io, or with OpenTofu (make testacc-tofu)
	// registry.opentofu.org, as TF_ACC_PROVIDER_HOST says.
	address := "registry.terraform.io/opsaudit/opsaudit"
	if host := os.Getenv("TF_ACC_PROVIDER_HOST"); host != "" {
		address = host + "/opsaudit/opsaudit"
	}
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, `provider_installation {
  dev_overrides {
    "`+address+`" = "`+bin+`"
  }
  direct {}
}
`)
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `terraform {
  required_providers {
    opsaudit = { source = "opsaudit/opsaudit" }
  }
}
provider "opsaudit" {}
`)
	cmd := exec.Command(tf, "providers", "schema", "-json")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", transport.EnvLoopbackOnly+"=1",
		transport.PacingDirEnv+"="+filepath.Join(t.TempDir(), "pacing"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema: %v\n%s", err, out)
	}
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider struct {
				Block schemaBlock `json:"block"`
			} `json:"provider"`
			DataSourceSchemas map[string]json.RawMessage `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decoding schema: %v", err)
	}
	ps, ok := doc.ProviderSchemas[address]
	if !ok {
		t.Fatalf("no schema for %s in %s", address, out)
	}
	b := ps.Provider.Block
	wantTop := map[string]string{"max_retries": `"number"`, "max_parallel_requests": `"number"`, "insecure": `"bool"`}
	for name, typ := range wantTop {
		a, ok := b.Attributes[name]
		if !ok || string(a.Type) != typ || !a.Optional || a.Sensitive {
			t.Errorf("%s: %+v", name, a)
		}
	}
	sensitive := map[string]bool{"access_key": true, "secret_key": true, "security_token": true}
	for block, attrs := range map[string][]string{
		"huaweicloud": {"region", "project_id", "access_key", "secret_key", "security_token", "cloud", "endpoints",
			"shared_config_file", "profile", "use_ecs_metadata"},
		"alicloud": {"region", "access_key", "secret_key", "security_token", "endpoints",
			"shared_credentials_file", "profile", "ecs_role_name", "credentials_uri"},
	} {
		bt, ok := b.BlockTypes[block]
		if !ok || bt.NestingMode != "single" {
			t.Fatalf("block %s: %+v", block, bt)
		}
		if len(bt.Block.Attributes) != len(attrs) {
			t.Errorf("block %s has %d attributes, want %d", block, len(bt.Block.Attributes), len(attrs))
		}
		for _, name := range attrs {
			a := bt.Block.Attributes[name]
			want := `"string"`
			switch name {
			case "endpoints":
				want = `["map","string"]`
			case "use_ecs_metadata":
				want = `"bool"`
			}
			if string(a.Type) != want || !a.Optional || a.Sensitive != sensitive[name] || a.DescriptionKind != "markdown" || a.Description == "" {
				t.Errorf("%s.%s: %+v", block, name, a)
			}
		}
	}
	for _, ds := range dataSourceNames() {
		if _, ok := ps.DataSourceSchemas[ds]; !ok {
			t.Errorf("data source %s missing from the CLI schema", ds)
		}
	}
}

type schemaBlock struct {
	Attributes map[string]struct {
		Type            json.RawMessage `json:"type"`
		Optional        bool            `json:"optional"`
		Sensitive       bool            `json:"sensitive"`
		Description     string          `json:"description"`
		DescriptionKind string          `json:"description_kind"`
	} `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string      `json:"nesting_mode"`
		Block       schemaBlock `json:"block"`
	} `json:"block_types"`
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

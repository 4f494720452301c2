package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configure configures the provider's protocol server with a
// configuration that sets nothing (every value from env) and returns its
// diagnostics.
func configure(t *testing.T, env map[string]string) []*tfprotov6.Diagnostic {
	t.Helper()
	srv := NewServer("test", WithGetenv(func(k string) string { return env[k] }))()
	ctx := context.Background()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.Provider.Block.ValueType().(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// TestConfigureCredentialDiagnostics: at plan time (Configure), several
// sources of a cloud give a warning naming the one used and the ones
// ignored; a source configured in part with nothing complete before it,
// or a variable that does not parse, is an error naming the variables;
// no source at all is no diagnostic (a data source of that cloud fails at
// read, naming what to set).
func TestConfigureCredentialDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      map[string]string
		severity tfprotov6.DiagnosticSeverity
		want     string
	}{
		{"nothing", nil, 0, ""},
		{"keys and an OIDC role", map[string]string{"ALICLOUD_ACCESS_KEY": "a", "ALICLOUD_SECRET_KEY": "s",
			"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/t"},
			tfprotov6.DiagnosticSeverityWarning, "Several Alibaba Cloud credential sources are configured. The first in the documented order is used, as the official provider does: access_key and secret_key. Ignored: assume_role_with_oidc."},
		{"an OIDC role without its token", map[string]string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r"},
			tfprotov6.DiagnosticSeverityError, "set assume_role_with_oidc.oidc_token (ALIBABA_CLOUD_OIDC_TOKEN) or assume_role_with_oidc.oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)"},
		{"an agency without a domain", map[string]string{"HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s", "HW_ASSUME_ROLE_AGENCY_NAME": "x"},
			tfprotov6.DiagnosticSeverityError, "assume_role is configured in part; set assume_role.domain_name (HW_ASSUME_ROLE_DOMAIN_NAME) or assume_role.domain_id (HW_ASSUME_ROLE_DOMAIN_ID)"},
		{"a variable that does not parse", map[string]string{"HW_USE_ECS_METADATA": "sometimes"},
			tfprotov6.DiagnosticSeverityError, `HW_USE_ECS_METADATA (use_ecs_metadata) = "sometimes" is not true or false`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := configure(t, tc.env)
			if tc.want == "" {
				if len(diags) != 0 {
					t.Errorf("diagnostics %v, want none", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity != tc.severity || !strings.Contains(diags[0].Detail, tc.want) {
				for _, d := range diags {
					t.Logf("%v: %s: %s", d.Severity, d.Summary, d.Detail)
				}
				t.Fatalf("want one diagnostic of severity %v containing %q", tc.severity, tc.want)
			}
		})
	}
}

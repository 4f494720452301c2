package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func fullEnv() map[string]string {
	return map[string]string{
		"HW_REGION_NAME":                  "env-hw-region",
		"HW_PROJECT_ID":                   "env-hw-project",
		"HW_ACCESS_KEY":                   "env-hw-ak",
		"HW_SECRET_KEY":                   "env-hw-sk",
		"HW_SECURITY_TOKEN":               "env-hw-token",
		"HW_CLOUD":                        "env.cloud",
		"ALIBABA_CLOUD_REGION":            "env-ali-region",
		"ALIBABA_CLOUD_ACCESS_KEY_ID":     "env-ali-ak",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-ali-sk",
		"ALIBABA_CLOUD_SECURITY_TOKEN":    "env-ali-token",
		"ALICLOUD_REGION":                 "legacy-region",
		"ALICLOUD_ACCESS_KEY":             "legacy-ak",
		"ALICLOUD_SECRET_KEY":             "legacy-sk",
		"ALICLOUD_SECURITY_TOKEN":         "legacy-token",
	}
}

// block is the object of a cloud's block (huaweicloud or alicloud) as
// the framework reads it from a configuration: the given attributes and
// nested blocks, every other one null.
func block(t *testing.T, name string, vals map[string]attr.Value) types.Object {
	t.Helper()
	resp := &provider.SchemaResponse{}
	(&opsauditProvider{}).Schema(context.Background(), provider.SchemaRequest{}, resp)
	typ, ok := resp.Schema.Blocks[name].Type().(basetypes.ObjectType)
	if !ok {
		t.Fatalf("no block %s", name)
	}
	attrs := map[string]attr.Value{}
	for k, at := range typ.AttrTypes {
		if v, ok := vals[k]; ok {
			attrs[k] = v
			continue
		}
		null, err := at.ValueFromTerraform(context.Background(), tftypes.NewValue(at.TerraformType(context.Background()), nil))
		if err != nil {
			t.Fatal(err)
		}
		attrs[k] = null
	}
	return types.ObjectValueMust(typ.AttrTypes, attrs)
}

func str(s string) types.String { return types.StringValue(s) }

func fullModel(t *testing.T) providerModel {
	return providerModel{
		Huawei: block(t, "huaweicloud", map[string]attr.Value{
			"region": str("cfg-hw-region"), "project_id": str("cfg-hw-project"), "access_key": str("cfg-hw-ak"), "secret_key": str("cfg-hw-sk"),
			"security_token": str("cfg-hw-token"), "cloud": str("cfg.cloud"),
			"endpoints": types.MapValueMust(types.StringType, map[string]attr.Value{"workspace": str("http://127.0.0.1:1")}),
		}),
		Ali: block(t, "alicloud", map[string]attr.Value{
			"region": str("cfg-ali-region"), "access_key": str("cfg-ali-ak"), "secret_key": str("cfg-ali-sk"), "security_token": str("cfg-ali-token"),
			"endpoints": types.MapValueMust(types.StringType, map[string]attr.Value{"oos": str("http://127.0.0.1:2")}),
		}),
		MaxRetries:          types.Int64Value(2),
		MaxParallelRequests: types.Int64Value(9),
		Insecure:            types.BoolValue(true),
	}
}

// keys are a cloud's resolved keys and region, for comparing.
func keys(c *credchain.Resolved) string {
	v := c.Top
	return strings.Join([]string{v.Str("region"), v.Str("access_key"), v.Str("secret_key"), v.Str("security_token")}, " ")
}

func TestResolveFromAttributesAlone(t *testing.T) {
	s := resolve(fullModel(t), env(nil))
	hw, ali := s.Huawei, s.Ali
	if hw.Region != "cfg-hw-region" || hw.ProjectID != "cfg-hw-project" || keys(hw.Credentials) != "cfg-hw-region cfg-hw-ak cfg-hw-sk cfg-hw-token" ||
		hw.Cloud != "cfg.cloud" || hw.Endpoints["workspace"] != "http://127.0.0.1:1" || hw.ProjectIDFrom != "" {
		t.Errorf("huawei: %+v", hw)
	}
	if ali.Region != "cfg-ali-region" || keys(ali.Credentials) != "cfg-ali-region cfg-ali-ak cfg-ali-sk cfg-ali-token" || ali.Endpoints["oos"] != "http://127.0.0.1:2" {
		t.Errorf("alicloud: %+v", ali)
	}
	if s.MaxRetries != 2 || s.MaxParallel != 9 || !s.Insecure || s.Invalid != nil {
		t.Errorf("top level: %+v", s)
	}
}

func TestResolveFromEnvironmentAlone(t *testing.T) {
	// Blocks omitted entirely: the environment still configures both clouds.
	s := resolve(providerModel{
		MaxRetries: types.Int64Null(), MaxParallelRequests: types.Int64Null(), Insecure: types.BoolNull(),
	}, env(fullEnv()))
	hw, ali := s.Huawei, s.Ali
	if hw.Region != "env-hw-region" || hw.ProjectID != "env-hw-project" || keys(hw.Credentials) != "env-hw-region env-hw-ak env-hw-sk env-hw-token" ||
		hw.Cloud != "env.cloud" || hw.ProjectIDFrom != "the environment variable HW_PROJECT_ID" {
		t.Errorf("huawei: %+v", hw)
	}
	// The alicloud provider's ALICLOUD_* come before ALIBABA_CLOUD_*.
	if ali.Region != "legacy-region" || keys(ali.Credentials) != "legacy-region legacy-ak legacy-sk legacy-token" {
		t.Errorf("alicloud: %q", keys(ali.Credentials))
	}
	if s.MaxRetries != DefaultMaxRetries || s.MaxParallel != DefaultMaxParallelRequests || s.Insecure {
		t.Errorf("defaults: %+v", s)
	}
}

func TestResolveOfficialSDKEnvironment(t *testing.T) {
	e := fullEnv()
	for _, k := range []string{"ALICLOUD_REGION", "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"} {
		delete(e, k)
	}
	s := resolve(providerModel{}, env(e))
	if got := keys(s.Ali.Credentials); got != "env-ali-region env-ali-ak env-ali-sk env-ali-token" {
		t.Errorf("alicloud from ALIBABA_CLOUD_*: %q", got)
	}
}

func TestResolveConfigurationWinsOverEnvironment(t *testing.T) {
	s := resolve(fullModel(t), env(fullEnv()))
	if s.Huawei.Region != "cfg-hw-region" || keys(s.Huawei.Credentials) != "cfg-hw-region cfg-hw-ak cfg-hw-sk cfg-hw-token" || s.Huawei.Cloud != "cfg.cloud" ||
		keys(s.Ali.Credentials) != "cfg-ali-region cfg-ali-ak cfg-ali-sk cfg-ali-token" {
		t.Errorf("configuration must win: %+v", s)
	}
	// A block present with some settings unset (or empty) still falls back
	// per setting.
	m := fullModel(t)
	attrs := m.Huawei.Attributes()
	attrs["secret_key"] = types.StringNull()
	attrs["project_id"] = str("")
	m.Huawei = block(t, "huaweicloud", attrs)
	attrs = m.Ali.Attributes()
	attrs["region"] = types.StringNull()
	m.Ali = block(t, "alicloud", attrs)
	s = resolve(m, env(fullEnv()))
	if keys(s.Huawei.Credentials) != "cfg-hw-region cfg-hw-ak env-hw-sk cfg-hw-token" || s.Huawei.ProjectID != "env-hw-project" || s.Ali.Region != "legacy-region" {
		t.Errorf("per-setting fallback: %q %q %q", keys(s.Huawei.Credentials), s.Huawei.ProjectID, s.Ali.Region)
	}
}

// TestResolveNestedBlocks: nested blocks are read from the configuration
// in order (a list for the Huawei agency chain), each setting falling
// back to its environment variable.
func TestResolveNestedBlocks(t *testing.T) {
	resp := &provider.SchemaResponse{}
	(&opsauditProvider{}).Schema(context.Background(), provider.SchemaRequest{}, resp)
	agencyType := resp.Schema.Blocks["huaweicloud"].(schema.SingleNestedBlock).Blocks["assume_role"].(schema.ListNestedBlock).NestedObject.Type().(basetypes.ObjectType)
	agency := func(name string, duration attr.Value) attr.Value {
		return types.ObjectValueMust(agencyType.AttrTypes, map[string]attr.Value{"agency_name": str(name), "domain_name": types.StringNull(),
			"domain_id": types.StringNull(), "duration": duration})
	}
	m := providerModel{Huawei: block(t, "huaweicloud", map[string]attr.Value{
		"assume_role": types.ListValueMust(agencyType, []attr.Value{agency("first", types.Int64Value(1200)), agency("second", types.Int64Null())}),
	})}
	s := resolve(m, env(map[string]string{"HW_ASSUME_ROLE_DOMAIN_ID": "d", "HW_ASSUME_ROLE_DURATION": "900"}))
	bs := s.Huawei.Credentials.Blocks("assume_role")
	if len(bs) != 2 || bs[0].Str("agency_name") != "first" || bs[0].Int("duration") != 1200 || bs[1].Str("agency_name") != "second" ||
		bs[1].Int("duration") != 900 || bs[1].Str("domain_id") != "d" || !bs[1].InConfig {
		t.Fatalf("assume_role blocks: %d", len(bs))
	}
	s = resolve(providerModel{}, env(map[string]string{"HW_ASSUME_ROLE_DURATION": "sixty"}))
	if s.Invalid == nil || !strings.Contains(s.Invalid.Error(), "HW_ASSUME_ROLE_DURATION") {
		t.Errorf("an unparsable variable: %v", s.Invalid)
	}
}

func TestResolveDefaults(t *testing.T) {
	s := resolve(providerModel{}, env(nil))
	// No cloud: the endpoints follow the official SDK's region tables.
	if s.Huawei.Cloud != "" || s.Huawei.Endpoints != nil || s.Ali.Endpoints != nil || s.MaxRetries != 5 || s.MaxParallel != 16 || s.Insecure {
		t.Errorf("defaults: %+v", s)
	}
	if got := s.secrets(); len(got) != 0 {
		t.Errorf("secrets: %v", got)
	}
	s = resolve(fullModel(t), env(map[string]string{"HW_ASSUME_ROLE_ID_TOKEN": "id-token", "ALIBABA_CLOUD_OIDC_TOKEN": "oidc-token"}))
	got := s.secrets()
	slices.Sort(got)
	if want := []string{"cfg-ali-ak", "cfg-ali-sk", "cfg-ali-token", "cfg-hw-ak", "cfg-hw-sk", "cfg-hw-token", "id-token", "oidc-token"}; !slices.Equal(got, want) {
		t.Errorf("secrets: %v, want every sensitive value %v", got, want)
	}
}

// TestResolveEndpointsFromEnvironment: every endpoint key has its
// environment variable; a key the configuration sets wins over it, a key
// it leaves out still takes it.
func TestResolveEndpointsFromEnvironment(t *testing.T) {
	e := map[string]string{
		"HW_ENDPOINT_IAM":            "http://127.0.0.1:10",
		"HW_ENDPOINT_WORKSPACE":      "http://127.0.0.1:11",
		"HW_ENDPOINT_SECMASTER":      "http://127.0.0.1:12",
		"ALIBABA_CLOUD_ENDPOINT_OOS": "http://127.0.0.1:13",
	}
	s := resolve(providerModel{}, env(e))
	want := map[string]string{"iam": e["HW_ENDPOINT_IAM"], "workspace": e["HW_ENDPOINT_WORKSPACE"], "secmaster": e["HW_ENDPOINT_SECMASTER"]}
	if !maps.Equal(s.Huawei.Endpoints, want) {
		t.Errorf("huawei endpoints from the environment: %v, want %v", s.Huawei.Endpoints, want)
	}
	if !maps.Equal(s.Ali.Endpoints, map[string]string{"oos": e["ALIBABA_CLOUD_ENDPOINT_OOS"]}) {
		t.Errorf("alicloud endpoints from the environment: %v", s.Ali.Endpoints)
	}
	// fullModel sets workspace and oos: those win, the others come from the environment.
	s = resolve(fullModel(t), env(e))
	want["workspace"] = "http://127.0.0.1:1"
	if !maps.Equal(s.Huawei.Endpoints, want) {
		t.Errorf("huawei endpoints, configuration and environment: %v, want %v", s.Huawei.Endpoints, want)
	}
	if !maps.Equal(s.Ali.Endpoints, map[string]string{"oos": "http://127.0.0.1:2"}) {
		t.Errorf("alicloud endpoints, configuration and environment: %v", s.Ali.Endpoints)
	}
	// Every key of both clouds has a variable, named after the key.
	for _, k := range huaweicloud.EndpointKeys {
		s := resolve(providerModel{}, env(map[string]string{"HW_ENDPOINT_" + strings.ToUpper(k): "http://h"}))
		if s.Huawei.Endpoints[k] != "http://h" {
			t.Errorf("HW_ENDPOINT_%s: %v", strings.ToUpper(k), s.Huawei.Endpoints)
		}
	}
	for _, k := range alicloud.EndpointKeys {
		s := resolve(providerModel{}, env(map[string]string{"ALIBABA_CLOUD_ENDPOINT_" + strings.ToUpper(k): "http://a"}))
		if s.Ali.Endpoints[k] != "http://a" {
			t.Errorf("ALIBABA_CLOUD_ENDPOINT_%s: %v", strings.ToUpper(k), s.Ali.Endpoints)
		}
	}
}

// TestEndpointEnvErrors: an endpoint from the environment that is not a
// base URL is named by its variable; one the configuration overrides is
// not looked at.
func TestEndpointEnvErrors(t *testing.T) {
	e := env(map[string]string{"HW_ENDPOINT_IAM": "iam.example.test", "HW_ENDPOINT_WORKSPACE": "ftp://x", "ALIBABA_CLOUD_ENDPOINT_OOS": "http://127.0.0.1:1"})
	got := endpointEnvErrors(providerModel{}, e)
	if len(got) != 2 || !strings.HasPrefix(got[0], "HW_ENDPOINT_IAM: ") || !strings.HasPrefix(got[1], "HW_ENDPOINT_WORKSPACE: ") {
		t.Errorf("got %q", got)
	}
	if got := endpointEnvErrors(fullModel(t), e); len(got) != 1 || !strings.HasPrefix(got[0], "HW_ENDPOINT_IAM: ") {
		t.Errorf("with workspace configured: got %q", got)
	}
}

// TestUnknownCredentialSettings: a value unknown at plan time anywhere in
// a cloud's block, nested and repeated blocks included, is named by its
// path; known ones are not.
func TestUnknownCredentialSettings(t *testing.T) {
	resp := &provider.SchemaResponse{}
	(&opsauditProvider{}).Schema(context.Background(), provider.SchemaRequest{}, resp)
	agencyType := resp.Schema.Blocks["huaweicloud"].(schema.SingleNestedBlock).Blocks["assume_role"].(schema.ListNestedBlock).NestedObject.Type().(basetypes.ObjectType)
	agency := func(name types.String) attr.Value {
		return types.ObjectValueMust(agencyType.AttrTypes, map[string]attr.Value{"agency_name": name, "domain_name": str("d"),
			"domain_id": types.StringNull(), "duration": types.Int64Unknown()})
	}
	m := providerModel{
		Huawei: block(t, "huaweicloud", map[string]attr.Value{
			"secret_key":  types.StringUnknown(),
			"assume_role": types.ListValueMust(agencyType, []attr.Value{agency(str("a")), agency(types.StringUnknown())}),
		}),
		Ali: block(t, "alicloud", map[string]attr.Value{"ecs_role_name": types.StringUnknown()}),
	}
	var got []string
	for _, p := range unknownSettings(m) {
		got = append(got, p.String())
	}
	slices.Sort(got)
	want := []string{"alicloud.ecs_role_name", "huaweicloud.assume_role[0].duration", "huaweicloud.assume_role[1].agency_name",
		"huaweicloud.assume_role[1].duration", "huaweicloud.secret_key"}
	if !slices.Equal(got, want) {
		t.Errorf("unknown settings %v, want %v", got, want)
	}
}

package provider

import (
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

func fullModel() providerModel {
	return providerModel{
		Huawei: &huaweiModel{
			Region: types.StringValue("cfg-hw-region"), ProjectID: types.StringValue("cfg-hw-project"),
			AccessKey: types.StringValue("cfg-hw-ak"), SecretKey: types.StringValue("cfg-hw-sk"),
			SecurityToken: types.StringValue("cfg-hw-token"), Cloud: types.StringValue("cfg.cloud"),
			Endpoints: types.MapValueMust(types.StringType, map[string]attr.Value{"workspace": types.StringValue("http://127.0.0.1:1")}),
		},
		Ali: &aliModel{
			Region: types.StringValue("cfg-ali-region"), AccessKey: types.StringValue("cfg-ali-ak"),
			SecretKey: types.StringValue("cfg-ali-sk"), SecurityToken: types.StringValue("cfg-ali-token"),
			Endpoints: types.MapValueMust(types.StringType, map[string]attr.Value{"oos": types.StringValue("http://127.0.0.1:2")}),
		},
		MaxRetries:          types.Int64Value(2),
		MaxParallelRequests: types.Int64Value(9),
		Insecure:            types.BoolValue(true),
	}
}

func TestResolveFromAttributesAlone(t *testing.T) {
	s := resolve(fullModel(), env(nil))
	hw, ali := s.Huawei, s.Ali
	if hw.Region != "cfg-hw-region" || hw.ProjectID != "cfg-hw-project" || hw.AccessKey != "cfg-hw-ak" ||
		hw.SecretKey != "cfg-hw-sk" || hw.SecurityToken != "cfg-hw-token" || hw.Cloud != "cfg.cloud" ||
		hw.Endpoints["workspace"] != "http://127.0.0.1:1" {
		t.Errorf("huawei: %+v", hw)
	}
	if ali.Region != "cfg-ali-region" || ali.AccessKey != "cfg-ali-ak" || ali.SecretKey != "cfg-ali-sk" ||
		ali.SecurityToken != "cfg-ali-token" || ali.Endpoints["oos"] != "http://127.0.0.1:2" {
		t.Errorf("alicloud: %+v", ali)
	}
	if s.MaxRetries != 2 || s.MaxParallel != 9 || !s.Insecure {
		t.Errorf("top level: %+v", s)
	}
}

func TestResolveFromEnvironmentAlone(t *testing.T) {
	// Blocks omitted entirely: the environment still configures both clouds.
	s := resolve(providerModel{
		MaxRetries: types.Int64Null(), MaxParallelRequests: types.Int64Null(), Insecure: types.BoolNull(),
	}, env(fullEnv()))
	hw, ali := s.Huawei, s.Ali
	if hw.Region != "env-hw-region" || hw.ProjectID != "env-hw-project" || hw.AccessKey != "env-hw-ak" ||
		hw.SecretKey != "env-hw-sk" || hw.SecurityToken != "env-hw-token" || hw.Cloud != "env.cloud" {
		t.Errorf("huawei: %+v", hw)
	}
	// ALIBABA_CLOUD_* come before ALICLOUD_*.
	if ali.Region != "env-ali-region" || ali.AccessKey != "env-ali-ak" || ali.SecretKey != "env-ali-sk" || ali.SecurityToken != "env-ali-token" {
		t.Errorf("alicloud: %+v", ali)
	}
	if s.MaxRetries != DefaultMaxRetries || s.MaxParallel != DefaultMaxParallelRequests || s.Insecure {
		t.Errorf("defaults: %+v", s)
	}
}

func TestResolveLegacyAlicloudEnvironment(t *testing.T) {
	e := fullEnv()
	for _, k := range []string{"ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"} {
		delete(e, k)
	}
	s := resolve(providerModel{}, env(e))
	if s.Ali.Region != "legacy-region" || s.Ali.AccessKey != "legacy-ak" || s.Ali.SecretKey != "legacy-sk" || s.Ali.SecurityToken != "legacy-token" {
		t.Errorf("alicloud from ALICLOUD_*: %+v", s.Ali)
	}
}

func TestResolveConfigurationWinsOverEnvironment(t *testing.T) {
	s := resolve(fullModel(), env(fullEnv()))
	if s.Huawei.Region != "cfg-hw-region" || s.Huawei.SecretKey != "cfg-hw-sk" || s.Huawei.Cloud != "cfg.cloud" ||
		s.Ali.AccessKey != "cfg-ali-ak" || s.Ali.SecurityToken != "cfg-ali-token" {
		t.Errorf("configuration must win: %+v", s)
	}
	// A block present with some settings unset still falls back per setting.
	m := fullModel()
	m.Huawei.SecretKey = types.StringNull()
	m.Ali.Region = types.StringNull()
	s = resolve(m, env(fullEnv()))
	if s.Huawei.SecretKey != "env-hw-sk" || s.Huawei.AccessKey != "cfg-hw-ak" || s.Ali.Region != "env-ali-region" {
		t.Errorf("per-setting fallback: %+v", s)
	}
}

func TestResolveDefaults(t *testing.T) {
	s := resolve(providerModel{}, env(nil))
	// No cloud: the endpoints follow the official SDK's region tables.
	if s.Huawei.Cloud != "" || s.Huawei.Endpoints != nil || s.Ali.Endpoints != nil || s.MaxRetries != 5 || s.MaxParallel != 16 || s.Insecure {
		t.Errorf("defaults: %+v", s)
	}
	if got := s.secrets(); len(got) != 4 {
		t.Errorf("secrets: %v", got)
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
	s = resolve(fullModel(), env(e))
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
	if got := endpointEnvErrors(fullModel(), e); len(got) != 1 || !strings.HasPrefix(got[0], "HW_ENDPOINT_IAM: ") {
		t.Errorf("with workspace configured: got %q", got)
	}
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	if s.Huawei.Cloud != DefaultHuaweiCloud || s.MaxRetries != 5 || s.MaxParallel != 4 || s.Insecure {
		t.Errorf("defaults: %+v", s)
	}
	if got := s.secrets(); len(got) != 4 {
		t.Errorf("secrets: %v", got)
	}
}

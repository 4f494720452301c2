package acctest

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// For tests and benchmarks that drive the provider's protocol server
// themselves, without Terraform.

// ProtocolProviderConfig is the provider block: the emulator's demo credentials,
// every endpoint at url, the project id given (no IAM lookup), and
// max_parallel_requests when parallel > 0.
func ProtocolProviderConfig(t tftypes.Object, url string, parallel int) tftypes.Value {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	endpoints := func(t tftypes.Type, keys ...string) tftypes.Value {
		m := map[string]tftypes.Value{}
		for _, k := range keys {
			m[k] = str(url)
		}
		return tftypes.NewValue(t, m)
	}
	hwType, hwOK := t.AttributeTypes["huaweicloud"].(tftypes.Object)
	aliType, aliOK := t.AttributeTypes["alicloud"].(tftypes.Object)
	if !hwOK || !aliOK {
		panic("the provider schema has no huaweicloud and alicloud blocks")
	}
	set := map[string]tftypes.Value{
		"huaweicloud": Object(hwType, map[string]tftypes.Value{
			"region":     str(emulator.DemoRegionHuawei),
			"project_id": str(emulator.ProjectID(emulator.DemoRegionHuawei)),
			"access_key": str(emulator.DemoHuaweiAccessKey),
			"secret_key": str(emulator.DemoHuaweiSecretKey),
			"endpoints":  endpoints(hwType.AttributeTypes["endpoints"], "iam", "workspace", "secmaster"),
		}),
		"alicloud": Object(aliType, map[string]tftypes.Value{
			"region":     str(emulator.DemoRegionAli),
			"access_key": str(emulator.DemoAliAccessKey),
			"secret_key": str(emulator.DemoAliSecretKey),
			"endpoints":  endpoints(aliType.AttributeTypes["endpoints"], "oos"),
		}),
	}
	if parallel > 0 {
		set["max_parallel_requests"] = tftypes.NewValue(tftypes.Number, parallel)
	}
	return Object(t, set)
}

// Object is a value of t with the given attributes and every other one null.
func Object(t tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, at := range t.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(t, vals)
}

// DiagError is the first error among diags, nil when there is none.
func DiagError(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

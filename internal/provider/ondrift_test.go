package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveOnDriftAndProjectIDSource(t *testing.T) {
	s := resolve(providerModel{}, env(nil))
	if s.OnDrift != OnDriftWarn || s.Huawei.ProjectIDFrom != "" {
		t.Fatalf("defaults: on_drift %q, project id from %q", s.OnDrift, s.Huawei.ProjectIDFrom)
	}
	s = resolve(providerModel{OnDrift: types.StringValue(OnDriftFail)}, env(map[string]string{"HW_PROJECT_ID": "p"}))
	if s.OnDrift != OnDriftFail || s.Huawei.ProjectIDFrom != "the environment variable HW_PROJECT_ID" {
		t.Fatalf("on_drift %q, project id from %q", s.OnDrift, s.Huawei.ProjectIDFrom)
	}
	m := providerModel{Huawei: block(t, "huaweicloud", map[string]attr.Value{"project_id": types.StringValue("q")})}
	s = resolve(m, env(map[string]string{"HW_PROJECT_ID": "p"}))
	if s.Huawei.ProjectID != "q" || s.Huawei.ProjectIDFrom != "" {
		t.Fatalf("project id %q from %q", s.Huawei.ProjectID, s.Huawei.ProjectIDFrom)
	}
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The Huawei keys' sources are named for the error of a refused
// signature: the block's setting when set there, else the environment
// variable that gave it.
func TestResolveHuaweiKeysSource(t *testing.T) {
	s := resolve(providerModel{}, env(map[string]string{"HW_ACCESS_KEY": "ak", "HW_SECRET_KEY": "sk"}))
	if want := "access_key from the environment variable HW_ACCESS_KEY with secret_key from the environment variable HW_SECRET_KEY"; s.Huawei.KeysFrom != want {
		t.Errorf("keys from %q, want %q", s.Huawei.KeysFrom, want)
	}
	m := providerModel{Huawei: &huaweiModel{AccessKey: types.StringValue("ak2")}}
	s = resolve(m, env(map[string]string{"HW_ACCESS_KEY": "ak", "HW_SECRET_KEY": "sk"}))
	if want := "access_key in the provider's huaweicloud block with secret_key from the environment variable HW_SECRET_KEY"; s.Huawei.KeysFrom != want {
		t.Errorf("keys from %q, want %q", s.Huawei.KeysFrom, want)
	}
}

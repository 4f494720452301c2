package alicloud

import (
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/cliprofile"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// resolveINI makes the source of a section of the SDKs' INI credentials
// file (credentials-go, providers/profile.go;
// https://github.com/aliyun/credentials-go#credential-file): the profile
// setting's section, else "default", by its type: access_key,
// ecs_ram_role (role_name; discovered when empty) or ram_role_arn.
func (c *Client) resolveINI(file, name string, b []byte) (*credchain.Cache[Credentials], error) {
	ini, err := cliprofile.ParseINI(b)
	if err != nil {
		return nil, fmt.Errorf("%s (%s) is not an INI credentials file: %w", file, aliyunCLI.FileSetting, err)
	}
	if name == "" {
		name = "default"
	}
	sec, ok := ini[name]
	if !ok {
		return nil, fmt.Errorf("profile %q (%s) not found in %s", name, aliyunCLI.ProfileSetting, file)
	}
	label := fmt.Sprintf("profile %q", name)
	where := fmt.Sprintf("%s (type %s) in %s", label, sec["type"], file)
	for _, k := range map[string][]string{
		"access_key":   {"access_key_id", "access_key_secret"},
		"ram_role_arn": {"access_key_id", "access_key_secret", "role_arn"},
	}[sec["type"]] {
		if sec[k] == "" {
			return nil, fmt.Errorf("%s has no %s", where, k)
		}
	}
	keys := func() *credchain.Cache[Credentials] {
		return c.Factory.Static(label, "its keys in "+file, Credentials{AccessKeyID: sec["access_key_id"], AccessKeySecret: sec["access_key_secret"]})
	}
	switch sec["type"] {
	case "access_key":
		return keys(), nil
	case "ram_role_arn":
		return c.assume(keys(), role{name: "the role of " + label, settings: "role_arn of " + label + " in " + file,
			arn: sec["role_arn"], sessionName: sec["role_session_name"], policy: sec["policy"]}), nil
	case "ecs_ram_role":
		return c.ecsRole("the instance role of "+label, "role_name of "+label+" in "+file+" (discovered when empty)", sec["role_name"]), nil
	default:
		return nil, fmt.Errorf("%s: type %q is not one the provider can serve (access_key, ecs_ram_role, ram_role_arn)", where, sec["type"])
	}
}

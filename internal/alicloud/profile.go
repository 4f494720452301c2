package alicloud

import (
	"context"
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/cliprofile"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// cliProfile is a profile of the aliyun CLI's config.json, with the
// fields the CLI and credentials-go read (aliyun-cli config/profile.go,
// credentials-go providers/cli_profile.go).
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	STSToken        string `json:"sts_token"`
	RegionID        string `json:"region_id"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	ExternalID      string `json:"external_id"`
	Policy          string `json:"policy"`
	STSRegion       string `json:"sts_region"`
	STSEndpoint     string `json:"sts_endpoint"`
	EnableVPC       bool   `json:"enable_vpc"`
	SourceProfile   string `json:"source_profile"`
	RAMRoleName     string `json:"ram_role_name"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	CredentialsURI  string `json:"credentials_uri"`
}

// aliyunCLI is the aliyun CLI's config.json (DefaultSharedCredentialsFile).
var aliyunCLI = cliprofile.CLI[cliProfile]{
	Name: "aliyun CLI", DefaultFile: DefaultSharedCredentialsFile,
	FileSetting: Settings.Name("", "shared_credentials_file"), ProfileSetting: Settings.Name("", "profile"),
	NameOf: func(p *cliProfile) string { return p.Name },
}

// resolveProfile reads the file: the SDKs' INI credentials file when it
// is one (inifile.go), else the aliyun CLI's JSON.
func (c *Client) resolveProfile(ctx context.Context, file, name string) (*credchain.Cache[Credentials], error) {
	if file == "" {
		file = DefaultSharedCredentialsFile
	}
	b, err := settingfile.Read(ctx, aliyunCLI.FileSetting, file)
	if err != nil {
		return nil, err
	}
	if cliprofile.LooksLikeINI(b) {
		return c.resolveINI(file, name, b)
	}
	f, err := aliyunCLI.Parse(file, b)
	if err != nil {
		return nil, err
	}
	return c.resolveCLI(f, name, map[string]bool{})
}

// resolveCLI makes the source of the profile name (empty: the current
// one) by its mode, matched case-insensitively as the aliyun CLI does;
// seen holds the profiles a ChainableRamRoleArn chain went through.
func (c *Client) resolveCLI(f *cliprofile.File[cliProfile], name string, seen map[string]bool) (*credchain.Cache[Credentials], error) {
	prof, err := aliyunCLI.Find(f, name)
	if err != nil {
		return nil, err
	}
	if seen[prof.Name] {
		return nil, fmt.Errorf("profile %q in %s is its own source_profile, through a loop", prof.Name, f.Path)
	}
	seen[prof.Name] = true
	label := fmt.Sprintf("profile %q", prof.Name)
	where := fmt.Sprintf("%s (mode %s) in %s", label, prof.Mode, f.Path)
	settings := "its fields in " + f.Path
	needs := func(fields ...string) error {
		var missing []string
		for _, fv := range fields {
			k, v, _ := strings.Cut(fv, "=")
			if v == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s has no %s", where, strings.Join(missing, " and "))
		}
		return nil
	}
	keys := func(token string) *credchain.Cache[Credentials] {
		return c.Factory.Static(label, settings, Credentials{AccessKeyID: prof.AccessKeyID, AccessKeySecret: prof.AccessKeySecret, SecurityToken: token})
	}
	r := role{name: "the role of " + label, settings: "ram_role_arn of " + label + " in " + f.Path, arn: prof.RAMRoleARN,
		sessionName: prof.RAMSessionName, policy: prof.Policy, externalID: prof.ExternalID, duration: prof.ExpiredSeconds,
		sts: stsTarget{endpoint: prof.STSEndpoint, region: prof.STSRegion, vpc: prof.EnableVPC}}
	keyFields := []string{"access_key_id=" + prof.AccessKeyID, "access_key_secret=" + prof.AccessKeySecret}
	switch mode := strings.ToLower(prof.Mode); mode {
	case "ak", "":
		return keys(""), needs(keyFields...)
	case "ststoken":
		return keys(prof.STSToken), needs(append(keyFields, "sts_token="+prof.STSToken)...)
	case "ramrolearn":
		return c.assume(keys(""), r), needs(append(keyFields, "ram_role_arn="+prof.RAMRoleARN)...)
	case "chainableramrolearn":
		if err := needs("source_profile="+prof.SourceProfile, "ram_role_arn="+prof.RAMRoleARN); err != nil {
			return nil, err
		}
		below, err := c.resolveCLI(f, prof.SourceProfile, seen)
		if err != nil {
			return nil, err
		}
		return c.assume(below, r), nil
	case "ecsramrole":
		return c.ecsRole("the instance role of "+label, "ram_role_name of "+label+" in "+f.Path+" (discovered when empty)", prof.RAMRoleName), nil
	case "oidc":
		o := oidcRole{providerARN: prof.OIDCProviderARN, roleARN: prof.RAMRoleARN,
			token: credchain.Token{File: prof.OIDCTokenFile, Setting: "oidc_token_file of " + label}, sessionName: prof.RAMSessionName, policy: prof.Policy, duration: prof.ExpiredSeconds, sts: r.sts}
		return c.oidcSource(label+" (OIDC)", settings, o), needs("oidc_provider_arn="+prof.OIDCProviderARN, "ram_role_arn="+prof.RAMRoleARN, "oidc_token_file="+prof.OIDCTokenFile)
	case "credentialsuri":
		if err := needs("credentials_uri=" + prof.CredentialsURI); err != nil {
			return nil, err
		}
		if !absoluteURL(prof.CredentialsURI) {
			return nil, fmt.Errorf("%s: credentials_uri is not an absolute http(s) URL", where)
		}
		return c.uriSource(label+" (CredentialsURI)", "credentials_uri of "+label+" in "+f.Path, prof.CredentialsURI), nil
	default:
		return nil, fmt.Errorf("%s: mode %q is not one the provider can serve (AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI)", where, prof.Mode)
	}
}

// profileRegion is the region_id of the aliyun CLI profile file and
// profile name (credchain.Base reads it once, when no region is set).
func profileRegion(ctx context.Context, file, profile string) (string, error) {
	p, _, err := aliyunCLI.FindProfile(ctx, file, profile)
	if err != nil {
		return "", err
	}
	return p.RegionID, nil
}

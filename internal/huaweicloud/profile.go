package huaweicloud

import (
	"context"
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/cliprofile"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// kooCLIProfile is a profile of KooCLI's config.json, with the fields the
// huaweicloud provider reads (huaweicloud/config/auth.go there).
type kooCLIProfile struct {
	Name             string `json:"name"`
	Mode             string `json:"mode"`
	AccessKeyID      string `json:"accessKeyId"`
	SecretAccessKey  string `json:"secretAccessKey"`
	SecurityToken    string `json:"securityToken"`
	Region           string `json:"region"`
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	AgencyDomainID   string `json:"agencyDomainId"`
	SSOAuth          struct {
		STSToken struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SecurityToken   string `json:"securityToken"`
		} `json:"stsToken"`
	} `json:"ssoAuth"`
}

// kooCLI is KooCLI's config.json (DefaultSharedConfigFile).
var kooCLI = cliprofile.CLI[kooCLIProfile]{
	Name: "KooCLI", DefaultFile: DefaultSharedConfigFile,
	FileSetting: Settings.Name("", "shared_config_file"), ProfileSetting: Settings.Name("", "profile"),
	NameOf: func(p *kooCLIProfile) string { return p.Name },
}

// resolveProfile reads the KooCLI profile (credchain.Factory.Profile
// calls it at its first use): modes AKSK (or none) and SSO (the keys of
// its STS token); agencyName with agencyDomainName (IAM v3) or
// agencyDomainId (IAM v5) assumes that agency with them. Any other mode is
// an error naming it, never a silent fall back.
func (c *Client) resolveProfile(ctx context.Context, file, name string) (*credchain.Cache[Credentials], error) {
	prof, file, err := kooCLI.FindProfile(ctx, file, name)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("profile %q (mode %s) in %s", prof.Name, prof.Mode, file)
	var cred Credentials
	switch strings.ToUpper(prof.Mode) {
	case "AKSK", "":
		cred = Credentials{AccessKey: prof.AccessKeyID, SecretKey: prof.SecretAccessKey, SecurityToken: prof.SecurityToken}
	case "SSO":
		t := prof.SSOAuth.STSToken
		cred = Credentials{AccessKey: t.AccessKeyID, SecretKey: t.SecretAccessKey, SecurityToken: t.SecurityToken}
	default:
		return nil, fmt.Errorf("%s: mode %q is not one the provider can serve (AKSK, SSO)", where, prof.Mode)
	}
	if cred.AccessKey == "" || cred.SecretKey == "" {
		return nil, fmt.Errorf("%s has no access key and secret key", where)
	}
	label := fmt.Sprintf("profile %q", prof.Name)
	keys := c.Factory.Static(label, "its keys in "+file, cred)
	if prof.AgencyName == "" && prof.AgencyDomainName == "" && prof.AgencyDomainID == "" {
		return keys, nil
	}
	a := agency{name: "the agency of " + label, agencyName: prof.AgencyName, domainID: prof.AgencyDomainID}
	switch {
	case prof.AgencyName == "":
		return nil, fmt.Errorf("%s names an agency domain but no agencyName", where)
	case prof.AgencyDomainID != "":
		a.settings = "agencyName and agencyDomainId of " + label + " in " + file
	case prof.AgencyDomainName != "":
		a.domainName, a.settings = prof.AgencyDomainName, "agencyName and agencyDomainName of "+label+" in "+file
	default:
		return nil, fmt.Errorf("%s names agency %q but neither agencyDomainName nor agencyDomainId", where, prof.AgencyName)
	}
	return c.assume(keys, a), nil
}

// profileRegion is the region of the KooCLI profile file and profile
// name (credchain.Base reads it once, when no region is set).
func profileRegion(ctx context.Context, file, profile string) (string, error) {
	p, _, err := kooCLI.FindProfile(ctx, file, profile)
	if err != nil {
		return "", err
	}
	return p.Region, nil
}

package huaweicloud

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

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

// profileCandidate is the KooCLI profile as a source: read only when the
// file or the profile is set.
func profileCandidate(v *credchain.Values) credchain.Candidate {
	return credchain.Candidate{Name: "the KooCLI profile", Configured: v.Any("shared_config_file", "profile"),
		Needs: "a KooCLI profile: " + v.Name("profile") + " or " + v.Name("shared_config_file")}
}

// profileSource is the KooCLI profile: read at its first use, it becomes
// the profile's keys, then, when the profile names an agency, that
// agency's credentials, cached and refreshed as any other.
type profileSource struct {
	l          *credentials
	file, name string

	mu    sync.Mutex
	inner *credchain.Cache[Credentials]
}

func (l *credentials) profile(v *credchain.Values) *credchain.Cache[Credentials] {
	p := &profileSource{l: l, file: v.Str("shared_config_file"), name: v.Str("profile")}
	return l.cache(credchain.Source[Credentials]{Name: "the KooCLI profile",
		Settings: v.Origin("profile") + " of " + v.Origin("shared_config_file"), Fetch: p.fetch})
}

func (p *profileSource) fetch(ctx context.Context) (Credentials, time.Time, error) {
	p.mu.Lock()
	inner := p.inner
	if inner == nil {
		var err error
		if inner, err = p.resolve(); err != nil {
			p.mu.Unlock()
			return Credentials{}, time.Time{}, err
		}
		p.inner = inner
	}
	p.mu.Unlock()
	// The same expiry: this layer's refresh is due no earlier than the
	// inner one's (credchain.RefreshAt), so it always gets fresh ones.
	return inner.GetWithExpiry(ctx)
}

// resolve reads the profile: modes AKSK (or none) and SSO (the keys of
// its STS token); agencyName with agencyDomainName (IAM v3) or
// agencyDomainId (IAM v5) assumes that agency with them. Any other mode is
// an error naming it, never a silent fall back.
func (p *profileSource) resolve() (*credchain.Cache[Credentials], error) {
	prof, file, err := kooCLI.FindProfile(p.file, p.name)
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
	name := fmt.Sprintf("profile %q", prof.Name)
	keys := p.l.cache(credchain.Source[Credentials]{Name: name, Settings: "its keys in " + file,
		Fetch: func(context.Context) (Credentials, time.Time, error) { return cred, time.Time{}, nil }})
	if prof.AgencyName == "" && prof.AgencyDomainName == "" && prof.AgencyDomainID == "" {
		return keys, nil
	}
	a := agency{name: "the agency of " + name, agencyName: prof.AgencyName, domainID: prof.AgencyDomainID}
	switch {
	case prof.AgencyName == "":
		return nil, fmt.Errorf("%s names an agency domain but no agencyName", where)
	case prof.AgencyDomainID != "":
		a.settings = "agencyName and agencyDomainId of " + name + " in " + file
	case prof.AgencyDomainName != "":
		a.domainName, a.settings = prof.AgencyDomainName, "agencyName and agencyDomainName of "+name+" in "+file
	default:
		return nil, fmt.Errorf("%s names agency %q but neither agencyDomainName nor agencyDomainId", where, prof.AgencyName)
	}
	return p.l.assume(keys, a), nil
}

// profileRegion is the region of the KooCLI profile the settings name,
// or "" when they name none or it cannot be read (the credentials then
// say why). It is read once.
func (c *Client) profileRegion() string {
	v := c.cfg.Credentials
	if !v.Top.Any("shared_config_file", "profile") {
		return ""
	}
	c.profileRegionOnce.Do(func() {
		if p, _, err := kooCLI.FindProfile(v.Top.Str("shared_config_file"), v.Top.Str("profile")); err == nil {
			c.profileRegionValue = p.Region
		}
	})
	return c.profileRegionValue
}

// homeRegion is the region of the credential services' endpoints: the
// provider's region (configuration, environment, then profile), "" when
// there is none (the endpoint then says it needs one).
func (c *Client) homeRegion() string {
	r, _ := c.Region("")
	return r
}

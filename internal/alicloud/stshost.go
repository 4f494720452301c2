package alicloud

import (
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// stsTarget is what a role's own settings say of the STS endpoint: an
// aliyun CLI profile's sts_endpoint, or its sts_region and enable_vpc.
type stsTarget struct {
	endpoint, region string
	vpc              bool
}

// stsEndpoint is the base URL STS is asked at for t, by the rule of the
// official credentials library (credentials-go, providers/ram_role_arn.go
// and oidc.go) and the aliyun CLI, most specific first:
//
//  1. the profile's sts_endpoint (a host, or a URL);
//  2. endpoints.sts (ALIBABA_CLOUD_ENDPOINT_STS);
//  3. the profile's sts_region: https://sts.{r}.aliyuncs.com, or
//     https://sts-vpc.{r}.aliyuncs.com with its enable_vpc or
//     ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true;
//  4. ALIBABA_CLOUD_STS_REGION, likewise;
//  5. the provider's region: https://sts.{region}.aliyuncs.com;
//  6. https://sts.aliyuncs.com, the global endpoint: a missing region is
//     never an error.
func (c *Client) stsEndpoint(t stsTarget) (string, error) {
	if t.endpoint != "" {
		ep := strings.TrimRight(strings.TrimSpace(t.endpoint), "/")
		if !strings.Contains(ep, "://") {
			ep = "https://" + ep
		}
		if err := transport.CheckBaseURL(ep); err != nil {
			return "", fmt.Errorf("the profile's sts_endpoint %q: %w", t.endpoint, err)
		}
		return ep, nil
	}
	if ep, err := transport.EndpointOverride(c.cfg.Endpoints, "sts"); ep != "" || err != nil {
		return ep, err
	}
	top := c.cfg.Credentials.Top
	regional := func(region string, vpc bool) (string, error) {
		if !transport.HostLabel(region) {
			return "", fmt.Errorf("STS region %q is not a valid region name (letters, digits and '-')", region)
		}
		prefix := "sts"
		if vpc || top.Bool("vpc_endpoint") {
			prefix = "sts-vpc"
		}
		return "https://" + prefix + "." + region + ".aliyuncs.com", nil
	}
	switch {
	case t.region != "":
		return regional(t.region, t.vpc)
	case top.Str("sts_region") != "":
		return regional(top.Str("sts_region"), false)
	}
	if r := c.HomeRegion(); r != "" {
		if err := transport.CheckRegion("sts", r); err != nil {
			return "", err
		}
		return "https://sts." + r + ".aliyuncs.com", nil
	}
	return "https://sts.aliyuncs.com", nil
}

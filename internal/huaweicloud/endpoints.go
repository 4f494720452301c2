package huaweicloud

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// DefaultCloud is the domain suffix of a service's host in every region
// the official SDK region tables list, except for hostExceptions.
const DefaultCloud = "myhuaweicloud.com"

// EndpointKeys are the valid keys of Config.Endpoints (and of the
// provider's huaweicloud.endpoints map).
var EndpointKeys = []string{"iam", "sts", "workspace", "secmaster", "metadata"}

// DefaultMetadataEndpoint is the ECS instance metadata service, contacted
// only when use_ecs_metadata asks for it.
const DefaultMetadataEndpoint = "http://169.254.169.254"

// serviceRegion is a key of hostExceptions.
type serviceRegion struct{ service, region string }

// hostExceptions are the hosts of the official SDK's region tables
// (huaweicloud-sdk-go-v3, services/{service}/{version}/region/region.go:
// https://github.com/huaweicloud/huaweicloud-sdk-go-v3/blob/master/services/iam/v3/region/region.go,
// .../services/workspace/v2/region/region.go,
// .../services/secmaster/v1/region/region.go) that are not
// {service}.{region}.myhuaweicloud.com. Every other region of those
// tables follows that rule, and so does a region they do not list.
// Workspace and SecMaster have no exception: in eu-west-101 they stay on
// myhuaweicloud.com while IAM is on myhuaweicloud.eu.
var hostExceptions = map[serviceRegion]string{
	{"iam", "eu-west-101"}: "iam.eu-west-101.myhuaweicloud.eu",
}

// DefaultHost is the host of service in region when neither an endpoint
// override nor a cloud suffix is configured: the official SDK's host.
// service and region must already be valid (see Client.Endpoint).
func DefaultHost(service, region string) string {
	if h, ok := hostExceptions[serviceRegion{service, region}]; ok {
		return h
	}
	return service + "." + region + "." + DefaultCloud
}

// Endpoint returns the base URL of service in region: the configured
// override (trailing slashes trimmed) when there is one; else
// https://{service}.{region}.{cloud} when a cloud suffix is configured;
// else https:// and DefaultHost (sts, IAM v5's agency service, included:
// https://sts.{region}.myhuaweicloud.com); metadata is
// DefaultMetadataEndpoint.
func (c *Client) Endpoint(service, region string) (string, error) {
	service = strings.ToLower(service)
	if !slices.Contains(EndpointKeys, service) {
		return "", fmt.Errorf("unknown Huawei Cloud service %q (known: %s)", service, strings.Join(EndpointKeys, ", "))
	}
	if ep, err := transport.EndpointOverride(c.cfg.Endpoints, service); ep != "" || err != nil {
		return ep, err
	}
	if service == "metadata" {
		return DefaultMetadataEndpoint, nil
	}
	if err := transport.CheckRegion(service, region); err != nil {
		return "", err
	}
	if c.cfg.Cloud == "" {
		return "https://" + DefaultHost(service, region), nil
	}
	if !transport.DomainName(c.cfg.Cloud) {
		return "", fmt.Errorf("cloud %q is not a valid domain name", c.cfg.Cloud)
	}
	return "https://" + service + "." + region + "." + strings.ToLower(c.cfg.Cloud), nil
}

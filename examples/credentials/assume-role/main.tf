# Whatever source is found (keys, a profile, an instance identity, OIDC),
# assume_role trades it for the credentials of a role: IAM agencies on
# Huawei Cloud (several blocks form a chain, in order; domain_name assumes
# through IAM v3, domain_id through IAM v5), a RAM role through STS
# AssumeRole on Alibaba Cloud. HW_ASSUME_ROLE_AGENCY_NAME selects a Huawei
# agency from the environment alone; the Alibaba variables
# (ALICLOUD_ASSUME_ROLE_ARN, ALIBABA_CLOUD_ROLE_ARN) only fill a written
# assume_role block in, as in the alicloud provider.
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
    assume_role {
      agency_name = "ci-hop"
      domain_id   = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    }
    assume_role {
      agency_name = "opsaudit-auditor"
      domain_name = "audit-account"
      duration    = 3600
    }
  }
  alicloud {
    region = "cn-hangzhou"
    assume_role {
      role_arn           = "acs:ram::1234567890123456:role/opsaudit-reader"
      session_name       = "terraform"
      session_expiration = 3600
      external_id        = "opsaudit"
    }
  }
}

# Whatever source is found (keys, a profile, an instance role, OIDC),
# assume_role trades it for the credentials of a role: an IAM agency on
# Huawei Cloud, a RAM role through STS AssumeRole on Alibaba Cloud.
# HW_ASSUME_ROLE_AGENCY_NAME, and ALIBABA_CLOUD_ROLE_ARN with keys, select
# them from the environment alone.
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
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

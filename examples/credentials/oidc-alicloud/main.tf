# A pipeline trades its OIDC token for a RAM role's STS credentials
# (AssumeRoleWithOIDC). The environment alone selects this source:
# ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_ROLE_ARN and
# ALIBABA_CLOUD_OIDC_TOKEN_FILE; written out here, it is:
provider "opsaudit" {
  alicloud {
    region = "cn-hangzhou"
    assume_role_with_oidc {
      oidc_provider_arn  = "acs:ram::1234567890123456:oidc-provider/github-actions"
      role_arn           = "acs:ram::1234567890123456:role/opsaudit-reader"
      oidc_token_file    = "/tmp/oidc/alicloud-token" # re-read at each refresh
      role_session_name  = "policy-check"
      session_expiration = 3600
    }
  }
}

data "opsaudit_alicloud_oos_execution_logs" "deploy" {
  execution_id = "exec-0123456789abcdef"
}

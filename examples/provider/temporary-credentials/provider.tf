# Temporary credentials: a security token beside the temporary key pair.
# In a pipeline all of it usually comes from the environment, and the
# provider block stays empty (provider "opsaudit" {}):
#   HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN, HW_REGION_NAME
#   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
#   ALIBABA_CLOUD_SECURITY_TOKEN, ALIBABA_CLOUD_REGION
# Written out, e.g. from variables the pipeline fills:
provider "opsaudit" {
  huaweicloud {
    region         = "cn-north-4"
    access_key     = var.huawei_temporary_access_key
    secret_key     = var.huawei_temporary_secret_key
    security_token = var.huawei_security_token
  }

  alicloud {
    region         = "cn-hangzhou"
    access_key     = var.alicloud_sts_access_key
    secret_key     = var.alicloud_sts_secret_key
    security_token = var.alicloud_sts_security_token
  }
}

variable "huawei_temporary_access_key" {
  type = string
}

variable "huawei_temporary_secret_key" {
  type      = string
  sensitive = true
}

variable "huawei_security_token" {
  type      = string
  sensitive = true
}

variable "alicloud_sts_access_key" {
  type = string
}

variable "alicloud_sts_secret_key" {
  type      = string
  sensitive = true
}

variable "alicloud_sts_security_token" {
  type      = string
  sensitive = true
}

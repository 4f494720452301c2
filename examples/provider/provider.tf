# The provider's address and version, once per module: without this block
# Terraform looks for hashicorp/opsaudit.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Both clouds configured in the provider block. Every setting can instead
# come from its environment variable (see the table below); values written
# here win over the environment.
provider "opsaudit" {
  huaweicloud {
    region     = "cn-north-4"
    access_key = var.huawei_access_key
    secret_key = var.huawei_secret_key
    # project_id: looked up once through IAM when unset.
  }

  alicloud {
    region     = "cn-hangzhou"
    access_key = var.alicloud_access_key
    secret_key = var.alicloud_secret_key
  }

  max_retries             = 5
  max_parallel_requests   = 16
  max_requests_per_second = 0
  request_timeout         = "60s"
}

variable "huawei_access_key" {
  type = string
}

variable "huawei_secret_key" {
  type      = string
  sensitive = true
}

variable "alicloud_access_key" {
  type = string
}

variable "alicloud_secret_key" {
  type      = string
  sensitive = true
}

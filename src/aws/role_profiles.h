// Shared-config profiles that assume a role, resolved into a provider tree the way the AWS
// CLI does it:
//   role_arn + web_identity_token_file [+ role_session_name]  -> AssumeRoleWithWebIdentity
//   role_arn + source_profile                                   -> AssumeRole signed with that
//       profile's credentials: its static keys, or (chained) its own role. source_profile naming
//       the profile itself uses that profile's own static keys (as the CLI allows).
//   role_arn + credential_source = Environment                  -> AssumeRole signed with
//       AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
//   credential_source = Ec2InstanceMetadata or EcsContainer is not supported (refused clearly).
// Optional per role: external_id, role_session_name, duration_seconds (900..43200).
//
// Resolution reads the files once, when the provider is built. Misconfigurations (a missing
// source profile, a source_profile cycle, both source_profile and credential_source, neither,
// a bad duration_seconds) become a provider failing with InvalidCredentials that names the
// profile and the setting to fix. Thread-safe, like every provider.
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/sts_credentials.h"

namespace aws {

// The provider for `profile` when it has role_arn; otherwise (no such profile, or a plain
// key profile) a provider failing with NoCredentials, so the chain moves on.
std::shared_ptr<CredentialsProvider> role_profile_provider(const std::string& profile,
                                                           const SharedFilePaths& paths,
                                                           const StsContext& sts);

}  // namespace aws

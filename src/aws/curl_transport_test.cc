// CurlTransport safety rules that need no server: plain http only to loopback, http(s) only,
// and a refused loopback connection reported as a connect error.
#include "aws/curl_transport.h"

#include <gtest/gtest.h>

namespace {

using std::chrono::milliseconds;

TEST(CurlTransport, LoopbackDetection) {
  EXPECT_TRUE(aws::is_loopback_url("http://127.0.0.1:5000/"));
  EXPECT_TRUE(aws::is_loopback_url("http://localhost/x"));
  EXPECT_TRUE(aws::is_loopback_url("http://[::1]:80/"));
  EXPECT_FALSE(aws::is_loopback_url("http://127.0.0.1.evil.com/"));
  EXPECT_FALSE(aws::is_loopback_url("http://10.0.0.1/"));
}

TEST(CurlTransport, RefusesPlainHttpToRemoteHosts) {
  aws::CurlOptions o;
  aws::CurlTransport t(o);
  auto r = t.send({"GET", "http://example.com/", {}, ""}, milliseconds(1000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, aws::TransportError::Kind::insecure);
  r = t.send({"GET", "file:///etc/passwd", {}, ""}, milliseconds(1000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, aws::TransportError::Kind::insecure);
}

TEST(CurlTransport, RefusedLoopbackConnectionIsAConnectError) {
  aws::CurlTransport t(aws::CurlOptions{});
  auto r = t.send({"GET", "http://127.0.0.1:1/", {}, ""}, milliseconds(2000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, aws::TransportError::Kind::connect);
}

}  // namespace

// ListenSocket reports why it cannot listen (loopback only), and reports the
// port the kernel chose.
#include "sfu/signal/listen_socket.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sfu/signal/tls_files.h"

namespace turnd::sfu::signal {
namespace {

TEST(ListenSocket, PortZeroGetsAPort) {
  ListenSocket s(*SocketAddress::parse("127.0.0.1:0"));
  EXPECT_GE(s.fd(), 0);
  EXPECT_NE(s.local().port(), 0);
  EXPECT_EQ(s.local().ip_string(), "127.0.0.1");
}

TEST(ListenSocket, PortInUseIsAClearError) {
  ListenSocket first(*SocketAddress::parse("127.0.0.1:0"));
  try {
    ListenSocket second(first.local());
    FAIL() << "a second socket listened on " << first.local().to_string();
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cannot listen on " + first.local().to_string()), std::string::npos)
        << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

TEST(ListenSocket, AddressNotHereIsAClearError) {
  // 192.0.2.1 (TEST-NET-1) is not an address of this host.
  EXPECT_THROW(ListenSocket(*SocketAddress::parse("192.0.2.1:0")), std::runtime_error);
  EXPECT_THROW(ListenSocket(SocketAddress{}), std::runtime_error);
}

TEST(TlsFiles, MissingFilesAreNamed) {
  try {
    check_tls_files("/nonexistent/cert.pem", "/nonexistent/key.pem", "");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cert.pem"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_tls_files("", "key.pem", ""), std::runtime_error);
}

}  // namespace
}  // namespace turnd::sfu::signal

// The ClientHello reader (turnd/net/client_hello.h) on first flights captured
// from real clients (fixtures/client_hello_*.bin: curl 7.88, Chromium with a
// post-quantum key share, openssl s_client without ALPN) and on broken ones.
#include "turnd/net/client_hello.h"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace turnd::net {
namespace {

std::vector<std::byte> fixture(const char* name) {
  auto path = std::filesystem::path(__FILE__).parent_path() / "fixtures" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
  return out;
}

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

class ClientHelloTest : public ::testing::Test {
 protected:
  HelloStatus parse(const std::vector<std::byte>& stream) {
    return parse_client_hello(stream, scratch_, hello_);
  }
  std::array<std::byte, kMaxClientHello> scratch_{};
  ClientHello hello_;
};

TEST_F(ClientHelloTest, CurlOffersAlpnAndNamesTheHost) {
  ASSERT_EQ(parse(fixture("client_hello_curl.bin")), HelloStatus::kComplete);
  EXPECT_TRUE(hello_.has_alpn);
  EXPECT_TRUE(hello_.offers("h2"));
  EXPECT_TRUE(hello_.offers("http/1.1"));
  EXPECT_FALSE(hello_.offers("http/1"));
  EXPECT_FALSE(hello_.offers("stun.turn"));
  EXPECT_EQ(hello_.server_name, "localhost");
}

TEST_F(ClientHelloTest, ChromiumsLargeHelloIsReadWhole) {
  std::vector<std::byte> stream = fixture("client_hello_chromium.bin");
  ASSERT_GT(stream.size(), 1500u);  // more than one TCP segment on a 1500-byte MTU
  ASSERT_EQ(parse(stream), HelloStatus::kComplete);
  EXPECT_TRUE(hello_.offers("h2"));
  EXPECT_TRUE(hello_.offers("http/1.1"));
  EXPECT_EQ(hello_.server_name, "localhost");
}

TEST_F(ClientHelloTest, EveryShorterPrefixNeedsMore) {
  std::vector<std::byte> stream = fixture("client_hello_chromium.bin");
  for (size_t n = 0; n < stream.size(); ++n) {
    std::vector<std::byte> prefix(stream.begin(), stream.begin() + static_cast<ptrdiff_t>(n));
    ASSERT_EQ(parse(prefix), HelloStatus::kNeedMore) << n << " bytes";
  }
}

TEST_F(ClientHelloTest, NoAlpnAndNoNameWhenConnectingToAnAddress) {
  ASSERT_EQ(parse(fixture("client_hello_openssl_no_alpn.bin")), HelloStatus::kComplete);
  EXPECT_FALSE(hello_.has_alpn);
  EXPECT_FALSE(hello_.offers("http/1.1"));
  EXPECT_EQ(hello_.server_name, "");
}

// RFC 8446 §5.1: a handshake message may be split over several records.
TEST_F(ClientHelloTest, AHelloSplitOverThreeRecordsIsReassembled) {
  std::vector<std::byte> one = fixture("client_hello_chromium.bin");
  std::vector<std::byte> message(one.begin() + 5, one.end());
  std::vector<std::byte> stream;
  size_t cuts[] = {0, 3, 700, message.size()};  // the first record ends inside the header
  for (size_t i = 0; i + 1 < std::size(cuts); ++i) {
    size_t length = cuts[i + 1] - cuts[i];
    for (int b : {22, 3, 1}) stream.push_back(static_cast<std::byte>(b));
    stream.push_back(static_cast<std::byte>(length >> 8));
    stream.push_back(static_cast<std::byte>(length));
    stream.insert(stream.end(), message.begin() + static_cast<ptrdiff_t>(cuts[i]),
                  message.begin() + static_cast<ptrdiff_t>(cuts[i + 1]));
  }
  ASSERT_EQ(parse(stream), HelloStatus::kComplete);
  EXPECT_TRUE(hello_.offers("http/1.1"));
  EXPECT_EQ(hello_.server_name, "localhost");
}

TEST_F(ClientHelloTest, OtherProtocolsAreNotTls) {
  auto http = bytes({'G', 'E', 'T', ' ', '/'});
  auto stun = bytes({0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42});
  auto ssl2 = bytes({0x16, 0x02, 0x00, 0x00, 0x10});
  EXPECT_EQ(parse(http), HelloStatus::kNotTls);
  EXPECT_EQ(parse(stun), HelloStatus::kNotTls);
  EXPECT_EQ(parse(ssl2), HelloStatus::kNotTls);
}

TEST_F(ClientHelloTest, BrokenHellosAreInvalid) {
  std::vector<std::byte> good = fixture("client_hello_curl.bin");
  auto broken = [&](size_t at, int value) {
    std::vector<std::byte> copy = good;
    copy[at] = static_cast<std::byte>(value);
    return parse(copy);
  };
  EXPECT_EQ(broken(5, 2), HelloStatus::kInvalid);    // a ServerHello, not a ClientHello
  EXPECT_EQ(broken(7, 0), HelloStatus::kInvalid);    // message shorter than its record
  EXPECT_EQ(broken(43, 33), HelloStatus::kInvalid);  // session id longer than 32
  auto empty_record = bytes({22, 3, 1, 0, 0});
  EXPECT_EQ(parse(empty_record), HelloStatus::kInvalid);
  auto huge_record = bytes({22, 3, 1, 0x40, 0x01});  // 2^14 + 1
  EXPECT_EQ(parse(huge_record), HelloStatus::kInvalid);
  auto huge_message = bytes({22, 3, 1, 0, 4, 1, 0x01, 0x00, 0x00});  // 64 KiB announced
  EXPECT_EQ(parse(huge_message), HelloStatus::kInvalid);
  auto then_alert = bytes({22, 3, 1, 0, 1, 1, 21, 3, 3, 0, 2});
  EXPECT_EQ(parse(then_alert), HelloStatus::kInvalid);
}

// A minimal hello: version, random, no session id, one suite, null
// compression, then the given extensions block.
std::vector<std::byte> hello_with(const std::vector<std::byte>& extensions) {
  std::vector<std::byte> body = bytes({3, 3});
  body.resize(body.size() + 32);
  for (int b : {0, 0, 2, 0x13, 0x01, 1, 0}) body.push_back(static_cast<std::byte>(b));
  body.push_back(static_cast<std::byte>(extensions.size() >> 8));
  body.push_back(static_cast<std::byte>(extensions.size()));
  body.insert(body.end(), extensions.begin(), extensions.end());
  std::vector<std::byte> out = bytes({22, 3, 1});
  size_t message = body.size() + 4;
  out.push_back(static_cast<std::byte>(message >> 8));
  out.push_back(static_cast<std::byte>(message));
  for (size_t v : {size_t{1}, body.size() >> 16, body.size() >> 8, body.size()}) {
    out.push_back(static_cast<std::byte>(v));
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

TEST_F(ClientHelloTest, AlpnStunTurnIsOffered) {
  // ALPN: list of 10 bytes: "stun.turn" behind its length.
  auto ext = bytes({0, 16, 0, 12, 0, 10, 9, 's', 't', 'u', 'n', '.', 't', 'u', 'r', 'n'});
  ASSERT_EQ(parse(hello_with(ext)), HelloStatus::kComplete);
  EXPECT_TRUE(hello_.offers("stun.turn"));
}

TEST_F(ClientHelloTest, MalformedExtensionsAreInvalid) {
  auto empty_name = bytes({0, 16, 0, 4, 0, 2, 0, 0});       // a zero-length ALPN name
  auto name_overruns = bytes({0, 16, 0, 4, 0, 2, 5, 'a'});  // a name longer than its list
  auto twice = bytes({0, 16, 0, 5, 0, 3, 2, 'h', '2', 0, 16, 0, 5, 0, 3, 2, 'h', '2'});
  auto sni_overruns = bytes({0, 0, 0, 5, 0, 3, 0, 0, 9});  // host name longer than its list
  auto cut = bytes({0, 16, 0, 9, 0});                      // extension longer than the block
  EXPECT_EQ(parse(hello_with(empty_name)), HelloStatus::kInvalid);
  EXPECT_EQ(parse(hello_with(name_overruns)), HelloStatus::kInvalid);
  EXPECT_EQ(parse(hello_with(twice)), HelloStatus::kInvalid);
  EXPECT_EQ(parse(hello_with(sni_overruns)), HelloStatus::kInvalid);
  EXPECT_EQ(parse(hello_with(cut)), HelloStatus::kInvalid);
  EXPECT_FALSE(hello_.has_alpn);  // nothing half-read is left behind
}

TEST_F(ClientHelloTest, AScratchTooSmallRefusesInsteadOfOverflowing) {
  std::array<std::byte, 64> small{};
  EXPECT_EQ(parse_client_hello(fixture("client_hello_curl.bin"), small, hello_),
            HelloStatus::kInvalid);
}

}  // namespace
}  // namespace turnd::net

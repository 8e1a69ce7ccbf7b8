// DtlsCertificate and Fingerprint: an ECDSA P-256 self-signed certificate
// with a random serial, the SDP fingerprint form, parsing and comparison.
#include "sfu/dtls/dtls_certificate.h"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace turnd::sfu::dtls {
namespace {

TEST(DtlsCertificate, IsASelfSignedP256Certificate) {
  DtlsCertificate certificate = DtlsCertificate::generate();
  X509* x = certificate.x509();
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(certificate.key()), EVP_PKEY_EC);
  char group[32] = "";
  size_t length = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(certificate.key(), group, sizeof group, &length), 1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_verify(x, certificate.key()), 1);  // signed by its own key
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
  char cn[64] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "turnd");

  time_t now = time(nullptr);
  time_t in_29_days = now + 29L * 86400;
  time_t in_31_days = now + 31L * 86400;
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(x), &now), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(x), &in_29_days), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(x), &in_31_days), 0);
}

TEST(DtlsCertificate, EachCertificateIsDifferent) {
  DtlsCertificate a = DtlsCertificate::generate();
  DtlsCertificate b = DtlsCertificate::generate();
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.x509()), X509_get0_serialNumber(b.x509())),
            0);
  EXPECT_FALSE(a.fingerprint().matches(b.fingerprint()));
}

TEST(DtlsCertificate, FingerprintInSdpForm) {
  DtlsCertificate certificate = DtlsCertificate::generate();
  std::string text = certificate.fingerprint_sha256();
  ASSERT_EQ(text.size(), 95u);  // 32 hex pairs and 31 colons
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i % 3 == 2) {
      EXPECT_EQ(c, ':');
    } else {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << text;
    }
  }
  auto parsed = Fingerprint::parse(text);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->matches(certificate.fingerprint()));
  auto recomputed = Fingerprint::of(certificate.x509());
  ASSERT_TRUE(recomputed);
  EXPECT_TRUE(recomputed->matches(certificate.fingerprint()));
}

TEST(Fingerprint, Parse) {
  std::string upper =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  auto f = Fingerprint::parse(upper);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->digest[0], 0xAB);
  EXPECT_EQ(f->digest[31], 0x89);
  EXPECT_EQ(f->to_string(), upper);

  std::string lower = upper;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(Fingerprint::parse(lower));
  EXPECT_TRUE(Fingerprint::parse(lower)->matches(*f));
  EXPECT_TRUE(Fingerprint::parse("sha-256 " + upper));
  EXPECT_TRUE(Fingerprint::parse("SHA-256 " + upper));

  EXPECT_FALSE(Fingerprint::parse(""));
  EXPECT_FALSE(Fingerprint::parse(upper.substr(3)));
  EXPECT_FALSE(Fingerprint::parse(upper + ":00"));
  std::string bad_separator = upper;
  bad_separator[2] = '-';
  EXPECT_FALSE(Fingerprint::parse(bad_separator));
  std::string bad_digit = upper;
  bad_digit[0] = 'G';
  EXPECT_FALSE(Fingerprint::parse(bad_digit));
  EXPECT_FALSE(Fingerprint::parse("sha-1 " + upper));
}

TEST(Fingerprint, MatchesComparesEveryByte) {
  Fingerprint a;
  Fingerprint b;
  EXPECT_TRUE(a.matches(b));
  b.digest[31] = 1;
  EXPECT_FALSE(a.matches(b));
  EXPECT_FALSE(Fingerprint::of(nullptr));
}

}  // namespace
}  // namespace turnd::sfu::dtls

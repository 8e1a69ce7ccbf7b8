#include "sfu/dtls/dtls_certificate.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include <stdexcept>
#include <string>

namespace turnd::sfu::dtls {
namespace {

[[noreturn]] void fail(const char* what) {
  char detail[256] = "";
  ERR_error_string_n(ERR_get_error(), detail, sizeof detail);
  ERR_clear_error();
  throw std::runtime_error(std::string("DTLS certificate: ") + what + ": " + detail);
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

// A positive random 64-bit serial number (RFC 5280 §4.1.2.2).
void set_random_serial(X509* certificate) {
  BignumPtr serial(BN_new());
  check(serial != nullptr && BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
        "serial");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) != nullptr, "serial");
}

}  // namespace

DtlsCertificate DtlsCertificate::generate(std::chrono::days validity) {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "P-256 key");

  X509Ptr certificate(X509_new());
  check(certificate != nullptr, "X509_new");
  X509* x = certificate.get();
  check(X509_set_version(x, X509_VERSION_3) == 1, "version");
  set_random_serial(x);
  constexpr long kDay = 24L * 60 * 60;
  check(X509_gmtime_adj(X509_getm_notBefore(x), -kDay) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(x), validity.count() * kDay) != nullptr, "notAfter");

  X509NamePtr name(X509_NAME_new());
  check(name != nullptr && X509_NAME_add_entry_by_txt(
                               name.get(), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("turnd"), -1, -1, 0) == 1,
        "subject");
  check(X509_set_subject_name(x, name.get()) == 1, "subject");
  check(X509_set_issuer_name(x, name.get()) == 1, "issuer");  // self-signed
  check(X509_set_pubkey(x, key.get()) == 1, "public key");
  check(X509_sign(x, key.get(), EVP_sha256()) > 0, "sign");

  auto fingerprint = Fingerprint::of(x);
  check(fingerprint.has_value(), "fingerprint");
  return DtlsCertificate(std::move(key), std::move(certificate), *fingerprint);
}

}  // namespace turnd::sfu::dtls

// --write-checks against the in-memory fake API: a clean life cycle passes every write check and
// leaves the organization as found; each write fault raises its check, and cleanup still
// removes what the run made. (write_checks_e2e_test runs the same over HTTP with the CLI.)
#include "certharness/conformance/write_checks.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "certharness/json/json_document.hpp"
#include "in_memory_session.hpp"

namespace certharness {
namespace {

using test_support::in_memory_session;

fake_api_options seeded(std::set<fake_fault> faults = {}) {
  return test_support::seeded_api(3, std::move(faults));
}

TEST(write_checks, a_clean_life_cycle_passes_every_check_and_leaves_nothing) {
  in_memory_session session(seeded());
  run_write_checks(session, 10);
  EXPECT_EQ(session.errors(), std::vector<std::string>{});
  const check_tally& writes = session.report.groups.at("write checks");
  for (const char* check : {"upload.activates", "upload.details", "upload.content", "modify.name",
                            "toggle.result", "delete.still_present", "cleanup.failed"}) {
    ASSERT_TRUE(writes.contains(check)) << check;
    EXPECT_GT(writes.at(check).passed, 0u) << check;
    EXPECT_EQ(writes.at(check).failed, 0u) << check;
  }
  EXPECT_TRUE(session.cleaned);
  EXPECT_EQ(session.api.certificate_count(), 3u);
}

TEST(write_checks, each_write_fault_raises_its_check_and_cleanup_still_removes_the_upload) {
  const struct {
    fake_fault fault;
    const char* check;
  } cases[] = {{fake_fault::upload_activates, "upload.activates"},
               {fake_fault::details_mismatch, "upload.details"},
               {fake_fault::content_mismatch, "upload.content"},
               {fake_fault::delete_keeps, "delete.still_present"}};
  for (const auto& c : cases) {
    in_memory_session session(seeded({c.fault}));
    run_write_checks(session, 10);
    const std::vector<std::string> errors = session.errors();
    EXPECT_NE(std::find(errors.begin(), errors.end(), std::string(c.check) + " in write checks"),
              errors.end())
        << c.check << " not raised; raised: " << ::testing::PrintToString(errors);
    EXPECT_EQ(std::count(errors.begin(), errors.end(), "cleanup.failed in write checks"), 0)
        << c.check;
    EXPECT_EQ(session.api.certificate_count(), 3u) << c.check;
  }
}

// A GET of the deleted certificate answered 200 is delete.still_present, and only that: the
// verdict replay shares (see exchange_judge_test).
TEST(write_checks, a_deleted_certificate_still_answered_is_not_accepted_invalid) {
  in_memory_session session(seeded({fake_fault::delete_keeps}));
  run_write_checks(session, 10);
  for (const run_finding& f : session.report.findings) {
    EXPECT_NE(f.what.check, "request.accepted_invalid") << f.request << ": " << f.what.message;
  }
  EXPECT_FALSE(session.report.groups.at("write checks").contains("request.accepted_invalid"));
}

TEST(write_checks, nothing_is_sent_when_the_session_is_stopping_and_nothing_was_uploaded) {
  in_memory_session session(seeded());
  session.max_requests = 0;
  run_write_checks(session, 10);
  EXPECT_TRUE(session.report.requests.empty());
  EXPECT_FALSE(session.cleaned) << "no upload was sent, so there is nothing to clean";
}

// Replay finds a write-check run by its upload: the name's prefix and a readable PEM.
TEST(write_checks, a_recorded_upload_gives_back_the_identity_it_was_made_with) {
  const auto made = make_write_identity();
  ASSERT_TRUE(made.has_value()) << made.error();
  const write_identity& identity = *made;
  EXPECT_TRUE(identity.name.starts_with("certharness-write-check-")) << identity.name;
  std::string body = R"({"name":)";
  append_json_string(body, identity.name);
  body += R"(,"certificate":)";
  append_json_string(body, identity.pem);
  body += "}";
  const std::optional<write_identity> read = recorded_write_identity(body);
  ASSERT_TRUE(read.has_value()) << body;
  EXPECT_EQ(read->name, identity.name);
  EXPECT_EQ(read->pem, identity.pem);
  EXPECT_EQ(read->validity.not_before, identity.validity.not_before);
  EXPECT_EQ(read->validity.not_after, identity.validity.not_after);

  std::string other = R"({"name":"my-cert","certificate":)";
  append_json_string(other, identity.pem);
  other += "}";
  EXPECT_FALSE(recorded_write_identity(other)) << "not one of ours";
  EXPECT_FALSE(
      recorded_write_identity(R"({"name":"certharness-write-check-0","certificate":"not a PEM"})"));
  EXPECT_FALSE(recorded_write_identity("[1,"));
}

}  // namespace
}  // namespace certharness

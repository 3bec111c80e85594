#include <pgmig/revision_graph.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace pgmig;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

namespace {

revision rev(std::string id, std::vector<std::string> revises = {},
             std::vector<std::string> depends_on = {}, std::vector<std::string> labels = {}) {
    revision r;
    r.where = {id + ".sql", 1};
    r.id = std::move(id);
    r.revises = std::move(revises);
    r.depends_on = std::move(depends_on);
    r.branch_labels = std::move(labels);
    return r;
}

std::vector<std::string> ids(const plan& p) {
    std::vector<std::string> out;
    for (const auto& s : p.steps) {
        out.push_back(s.rev->id);
    }
    return out;
}

std::vector<std::string> ids(const std::vector<const revision*>& revs) {
    std::vector<std::string> out;
    for (const auto* r : revs) {
        out.push_back(r->id);
    }
    return out;
}

/// a -> b -> c
revision_graph linear() {
    return revision_graph({rev("a1"), rev("b2", {"a1"}), rev("c3", {"b2"})});
}

/// a -> b, a -> c (branch point), m merges b and c
revision_graph diamond() {
    return revision_graph({rev("a", {}, {}, {}), rev("b", {"a"}, {}, {"left"}),
                           rev("c", {"a"}, {}, {"right"}), rev("m", {"b", "c"})});
}

std::string graph_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const graph_error& e) {
        return e.what();
    }
    return "no graph_error";
}

} // namespace

TEST(RevisionGraph, UpgradesALinearHistoryInOrder) {
    auto g = linear();
    plan p = g.plan_upgrade({}, "head");
    EXPECT_THAT(ids(p), ElementsAre("a1", "b2", "c3"));
    EXPECT_THAT(p.rows_after, ElementsAre("c3"));
    EXPECT_THAT(p.steps[0].rows_added, ElementsAre("a1"));
    EXPECT_THAT(p.steps[1].rows_removed, ElementsAre("a1"));
    EXPECT_THAT(p.steps[1].rows_added, ElementsAre("b2"));
}

TEST(RevisionGraph, DowngradesToBaseInReverseOrder) {
    auto g = linear();
    plan p = g.plan_downgrade({"c3"}, "base");
    EXPECT_THAT(ids(p), ElementsAre("c3", "b2", "a1"));
    EXPECT_TRUE(p.rows_after.empty());
    EXPECT_THAT(p.steps[0].rows_added, ElementsAre("b2"));
}

TEST(RevisionGraph, DowngradeToARevisionKeepsIt) {
    auto g = linear();
    EXPECT_THAT(ids(g.plan_downgrade({"c3"}, "a1")), ElementsAre("c3", "b2"));
    EXPECT_THAT(g.plan_downgrade({"c3"}, "a1").rows_after, ElementsAre("a1"));
}

TEST(RevisionGraph, UpgradeToAnAppliedRevisionDoesNothing) {
    auto g = linear();
    EXPECT_TRUE(g.plan_upgrade({"c3"}, "b2").empty());
    EXPECT_TRUE(g.plan_upgrade({"c3"}, "heads").empty());
}

TEST(RevisionGraph, RelativeStepsCountFromTheCurrentState) {
    auto g = linear();
    EXPECT_THAT(ids(g.plan_upgrade({}, "+2")), ElementsAre("a1", "b2"));
    EXPECT_THAT(ids(g.plan_upgrade({"a1"}, "+1")), ElementsAre("b2"));
    EXPECT_THAT(ids(g.plan_downgrade({"c3"}, "-2")), ElementsAre("c3", "b2"));
    EXPECT_THAT(graph_message([&] { (void)g.plan_upgrade({"b2"}, "+2"); }),
                HasSubstr("only 1 revision to apply"));
    EXPECT_THAT(graph_message([&] { (void)g.plan_upgrade({}, "-1"); }), HasSubstr("+N, not -N"));
    EXPECT_THAT(graph_message([&] { (void)g.plan_downgrade({"c3"}, "+1"); }),
                HasSubstr("-N, not +N"));
}

TEST(RevisionGraph, StepsRelativeToARevision) {
    auto g = linear();
    EXPECT_THAT(ids(g.plan_upgrade({}, "a1+1")), ElementsAre("a1", "b2"));
    EXPECT_THAT(ids(g.plan_upgrade({}, "c3-1")), ElementsAre("a1", "b2"));
    EXPECT_THAT(ids(g.plan_downgrade({"c3"}, "c3-2")), ElementsAre("c3", "b2"));
    EXPECT_THAT(ids(g.plan_downgrade({"c3"}, "a1+1")), ElementsAre("c3"));
}

TEST(RevisionGraph, ResolvesUniquePrefixesAndRejectsAmbiguousOnes) {
    revision_graph g({rev("abc1"), rev("abd2", {"abc1"}), rev("abd3", {"abd2"})});
    EXPECT_EQ(g.resolve("abc").id, "abc1");
    EXPECT_EQ(g.resolve("abd2").id, "abd2");
    auto message = graph_message([&] { (void)g.resolve("abd"); });
    EXPECT_THAT(message, HasSubstr("ambiguous"));
    EXPECT_THAT(message, HasSubstr("abd2"));
    EXPECT_THAT(message, HasSubstr("abd3"));
    EXPECT_THAT(graph_message([&] { (void)g.resolve("zz"); }), HasSubstr("no revision 'zz'"));
}

TEST(RevisionGraph, HeadIsAnErrorListingTheHeadsWhenThereAreSeveral) {
    revision_graph g({rev("a"), rev("b", {"a"}, {}, {"left"}), rev("c", {"a"})});
    auto message = graph_message([&] { (void)g.plan_upgrade({}, "head"); });
    EXPECT_THAT(message, HasSubstr("2 heads"));
    EXPECT_THAT(message, HasSubstr("b (left)"));
    EXPECT_THAT(message, HasSubstr("c"));
    EXPECT_THAT(ids(g.plan_upgrade({}, "heads")), ElementsAre("a", "b", "c"));
    EXPECT_THAT(g.plan_upgrade({}, "heads").rows_after, ElementsAre("b", "c"));
}

TEST(RevisionGraph, BranchPointWalksOneBranchByLabel) {
    revision_graph g({rev("a"), rev("b", {"a"}, {}, {"left"}), rev("c", {"a"}, {}, {"right"})});
    EXPECT_THAT(ids(g.plan_upgrade({}, "left@head")), ElementsAre("a", "b"));
    EXPECT_THAT(ids(g.plan_upgrade({"b"}, "right@head")), ElementsAre("c"));
    EXPECT_THAT(g.plan_upgrade({"b"}, "right@head").rows_after, ElementsAre("b", "c"));
    EXPECT_THAT(ids(g.plan_upgrade({"a"}, "right@+1")), ElementsAre("c"));
}

TEST(RevisionGraph, RelativeUpgradeIntoABranchPointIsAmbiguous) {
    auto g = diamond();
    auto message = graph_message([&] { (void)g.plan_upgrade({"a"}, "+1"); });
    EXPECT_THAT(message, HasSubstr("ambiguous"));
    EXPECT_THAT(message, HasSubstr("b (left)"));
    EXPECT_THAT(message, HasSubstr("c (right)"));
}

TEST(RevisionGraph, RelativeStepsAcrossAMergeResolveWhenTheSetIsUnique) {
    auto g = diamond();
    // Alembic reports "Ambiguous walk" for these; the revisions taken are the same in any order.
    EXPECT_THAT(ids(g.plan_upgrade({"a"}, "+2")), ElementsAre("b", "c"));
    EXPECT_THAT(ids(g.plan_upgrade({}, "+3")), ElementsAre("a", "b", "c"));
    EXPECT_THAT(ids(g.plan_downgrade({"m"}, "-3")), UnorderedElementsAre("m", "b", "c"));
    EXPECT_EQ(g.plan_downgrade({"m"}, "-3").steps.front().rev->id, "m");
    EXPECT_THAT(graph_message([&] { (void)g.plan_downgrade({"m"}, "-2"); }),
                HasSubstr("ambiguous"));
}

TEST(RevisionGraph, DowngradingAMergeReturnsToItsParents) {
    auto g = diamond();
    plan up = g.plan_upgrade({}, "head");
    EXPECT_THAT(ids(up), ElementsAre("a", "b", "c", "m"));
    EXPECT_THAT(up.steps[3].rows_removed, ElementsAre("b", "c"));
    plan down = g.plan_downgrade({"m"}, "-1");
    EXPECT_THAT(ids(down), ElementsAre("m"));
    EXPECT_THAT(down.rows_after, ElementsAre("b", "c"));
    EXPECT_THAT(down.steps[0].rows_added, ElementsAre("b", "c"));
}

TEST(RevisionGraph, DowngradingToOneParentOfAMergeUnmergesIt) {
    auto g = diamond();
    plan p = g.plan_downgrade({"m"}, "b");
    EXPECT_THAT(ids(p), ElementsAre("m"));
    EXPECT_THAT(p.rows_after, ElementsAre("b", "c"));
    plan to_base_of_right = g.plan_downgrade({"m"}, "right@base");
    EXPECT_THAT(ids(to_base_of_right), ElementsAre("m", "c"));
    EXPECT_THAT(to_base_of_right.rows_after, ElementsAre("b"));
}

TEST(RevisionGraph, MergeOfMerges) {
    // a -> b1, b2, b3; m1 merges b1 b2; m2 merges m1 b3
    revision_graph g({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("b3", {"a"}),
                      rev("m1", {"b1", "b2"}), rev("m2", {"m1", "b3"})});
    plan up = g.plan_upgrade({}, "head");
    EXPECT_THAT(ids(up), ElementsAre("a", "b1", "b2", "b3", "m1", "m2"));
    EXPECT_THAT(up.rows_after, ElementsAre("m2"));
    plan down = g.plan_downgrade({"m2"}, "-1");
    EXPECT_THAT(down.rows_after, UnorderedElementsAre("m1", "b3"));
    plan down2 = g.plan_downgrade({"m2"}, "m1");
    EXPECT_THAT(ids(down2), ElementsAre("m2"));
    EXPECT_THAT(g.plan_downgrade({"m2"}, "b1").rows_after, ElementsAre("b1", "b2", "b3"));
    EXPECT_THAT(ids(g.plan_downgrade({"m2"}, "b1")), ElementsAre("m2", "m1"));
}

TEST(RevisionGraph, SeveralBasesJoinedByAMerge) {
    revision_graph g({rev("r1"), rev("r2"), rev("m", {"r1", "r2"})});
    EXPECT_THAT(ids(g.bases()), ElementsAre("r1", "r2"));
    EXPECT_THAT(ids(g.plan_upgrade({}, "head")), ElementsAre("r1", "r2", "m"));
    EXPECT_THAT(ids(g.plan_downgrade({"m"}, "base")), ElementsAre("m", "r2", "r1"));
    EXPECT_THAT(ids(g.plan_upgrade({"r2"}, "head")), ElementsAre("r1", "m"));
}

TEST(RevisionGraph, DependsOnAcrossBranchesIsAppliedFirst) {
    // Branch A: a1 -> a2; branch B: b1 -> b2; a2 depends on b1.
    revision_graph g({rev("a1", {}, {}, {"A"}), rev("a2", {"a1"}, {"b1"}), rev("b1", {}, {}, {"B"}),
                      rev("b2", {"b1"})});
    plan p = g.plan_upgrade({}, "A@head");
    EXPECT_THAT(ids(p), ElementsAre("a1", "b1", "a2"));
    // As in alembic_version, a dependency is folded into its dependant's row.
    EXPECT_THAT(p.rows_after, ElementsAre("a2"));
    EXPECT_THAT(g.applied({"a2"}), ElementsAre("a1", "b1", "a2"));
    // Heads still count only `revises`: b1 is not the head of B.
    EXPECT_THAT(ids(g.heads()), ElementsAre("a2", "b2"));
}

TEST(RevisionGraph, DowngradingADependencyRevertsItsDependantsFirst) {
    revision_graph g({rev("a1", {}, {}, {"A"}), rev("a2", {"a1"}, {"b1"}), rev("b1", {}, {}, {"B"}),
                      rev("b2", {"b1"})});
    plan p = g.plan_downgrade({"a2", "b2"}, "B@base");
    EXPECT_THAT(ids(p), ElementsAre("b2", "a2", "b1"));
    EXPECT_THAT(p.rows_after, ElementsAre("a1"));
}

TEST(RevisionGraph, DependsOnMayNameABranchLabel) {
    revision_graph g({rev("a1", {}, {}, {"A"}), rev("b1"), rev("b2", {"b1"}, {"A"})});
    EXPECT_THAT(ids(g.plan_upgrade({}, "b2")), ElementsAre("a1", "b1", "b2"));
}

TEST(RevisionGraph, DowngradeTargetMustBeApplied) {
    auto g = diamond();
    auto message = graph_message([&] { (void)g.plan_downgrade({"b"}, "c"); });
    EXPECT_THAT(message, HasSubstr("not applied"));
    EXPECT_THAT(message, HasSubstr("current: b"));
}

TEST(RevisionGraph, LabelsSpreadAlongTheirBranch) {
    // base -> x1 (branch point) -> y1 -> y2 [label on y2] -> y3
    revision_graph g({rev("base0"), rev("x1", {"base0"}), rev("y1", {"x1"}), rev("z1", {"x1"}),
                      rev("y2", {"y1"}, {}, {"ylabel"}), rev("y3", {"y2"})});
    EXPECT_THAT(g.labels_of(*g.find("y3")), ElementsAre("ylabel"));
    EXPECT_THAT(g.labels_of(*g.find("y1")), ElementsAre("ylabel"));
    EXPECT_TRUE(g.labels_of(*g.find("x1")).empty()); // the branch point is shared
    EXPECT_TRUE(g.labels_of(*g.find("z1")).empty());
    EXPECT_THAT(ids(g.plan_downgrade({"y3", "z1"}, "ylabel@base")), ElementsAre("y3", "y2", "y1"));
    EXPECT_EQ(g.resolve("ylabel").id, "y2");
}

TEST(RevisionGraph, LabelledIdMustBeOnTheBranch) {
    auto g = diamond();
    EXPECT_THAT(ids(g.plan_upgrade({}, "left@b")), ElementsAre("a", "b"));
    EXPECT_THAT(graph_message([&] { (void)g.plan_upgrade({}, "left@c"); }),
                HasSubstr("not on branch 'left'"));
    EXPECT_THAT(graph_message([&] { (void)g.plan_upgrade({}, "nolabel@head"); }),
                HasSubstr("no branch label 'nolabel'"));
}

TEST(RevisionGraph, RejectsMalformedTargets) {
    auto g = linear();
    for (const char* bad : {"", "@head", "a1+", "a1+x", "+0", "a1 b2", "a1;drop"}) {
        EXPECT_THROW((void)g.plan_upgrade({}, bad), graph_error) << bad;
    }
}

TEST(RevisionGraph, UnknownVersionRowIsAStateError) {
    auto g = linear();
    EXPECT_THROW((void)g.plan_upgrade({"ffff"}, "head"), state_error);
}

TEST(RevisionGraph, StampMovesOnlyTheTargetsBranch) {
    auto g = diamond();
    revision_graph two({rev("a"), rev("b", {"a"}, {}, {"left"}), rev("c", {"a"}, {}, {"right"})});
    EXPECT_THAT(two.stamp({"b"}, "right@head"), ElementsAre("b", "c"));
    EXPECT_THAT(two.stamp({"b", "c"}, "left@head"), ElementsAre("b", "c"));
    EXPECT_THAT(g.stamp({}, "heads"), ElementsAre("m"));
    EXPECT_THAT(g.stamp({"m"}, "b"), ElementsAre("b"));
    EXPECT_THAT(g.stamp({"b", "c"}, "a"), ElementsAre("a"));
    EXPECT_TRUE(g.stamp({"m"}, "base").empty());
    EXPECT_THAT(g.stamp({"m"}, "-1"), ElementsAre("b", "c"));
}

TEST(RevisionGraph, RowsForCollapsesAnAppliedSet) {
    auto g = diamond();
    EXPECT_THAT(g.rows_for({"a", "b", "c"}), ElementsAre("b", "c"));
    EXPECT_THAT(g.rows_for({"b"}), ElementsAre("b"));
}

TEST(RevisionGraph, TopologicalOrderPutsParentsAndDependenciesFirst) {
    revision_graph g({rev("c", {"b"}), rev("b", {"a"}, {"d"}), rev("a"), rev("d")});
    auto order = ids(g.topological());
    auto pos = [&](const char* id) {
        return std::find(order.begin(), order.end(), id) - order.begin();
    };
    EXPECT_LT(pos("a"), pos("b"));
    EXPECT_LT(pos("d"), pos("b"));
    EXPECT_LT(pos("b"), pos("c"));
}

TEST(RevisionGraph, ConstructionRejectsAnUnknownParent) {
    EXPECT_THROW(revision_graph({rev("a", {"missing"})}), source_error);
}

TEST(RevisionGraph, LongChainsDoNotExhaustTheStack) {
    std::vector<revision> chain{rev("r0")};
    for (int i = 1; i < 20000; ++i) {
        chain.push_back(rev("r" + std::to_string(i), {"r" + std::to_string(i - 1)}));
    }
    revision_graph g(std::move(chain));
    EXPECT_EQ(g.plan_upgrade({}, "head").steps.size(), 20000U);
    EXPECT_EQ(g.plan_downgrade({"r19999"}, "-3").steps.size(), 3U);
}

// --- validation ------------------------------------------------------------------------

namespace {

std::vector<std::string> codes(const std::vector<diagnostic>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) {
        out.push_back(d.code);
    }
    return out;
}

} // namespace

TEST(ValidateRevisions, AcceptsAValidSet) {
    EXPECT_TRUE(validate_revisions({rev("a"), rev("b", {"a"})}, {}).empty());
}

TEST(ValidateRevisions, RejectsDuplicateIdsNamingBothFiles) {
    auto a2 = rev("a");
    a2.where = {"other.sql", 7};
    auto ds = validate_revisions({rev("a"), a2}, {});
    ASSERT_THAT(codes(ds), ElementsAre("duplicate-id"));
    EXPECT_EQ(ds[0].format(), "other.sql:7: error: duplicate revision id a; it is also the id of "
                              "a.sql:1 [duplicate-id]");
}

TEST(ValidateRevisions, RejectsUnknownRevisesAtTheDirectiveLine) {
    auto b = rev("b", {"nope"});
    b.revises_line = 3;
    auto ds = validate_revisions({rev("a"), b}, {});
    ASSERT_THAT(codes(ds), ElementsAre("unknown-revision"));
    EXPECT_EQ(ds[0].where.line, 3);
    EXPECT_THAT(ds[0].message, HasSubstr("unknown revision nope"));
}

TEST(ValidateRevisions, RejectsUnknownDependsOn) {
    auto ds = validate_revisions({rev("a"), rev("b", {"a"}, {"zz"})}, {});
    EXPECT_THAT(codes(ds), ElementsAre("unknown-revision"));
}

TEST(ValidateRevisions, RejectsACycleNamingItsMembers) {
    auto ds = validate_revisions({rev("root"), rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"})},
                                 {.allow_multiple_heads = true});
    ASSERT_THAT(codes(ds), ElementsAre("cycle"));
    EXPECT_THAT(ds[0].message, HasSubstr("a (a.sql:1)"));
    EXPECT_THAT(ds[0].message, HasSubstr("b (b.sql:1)"));
    EXPECT_THAT(ds[0].message, HasSubstr("c (c.sql:1)"));
}

TEST(ValidateRevisions, RejectsACycleThroughDependsOn) {
    auto ds = validate_revisions({rev("a", {}, {"b"}), rev("b", {"a"})}, {});
    EXPECT_THAT(codes(ds), ElementsAre("cycle"));
}

TEST(ValidateRevisions, RejectsSelfReference) {
    auto ds = validate_revisions({rev("a", {"a"})}, {});
    EXPECT_THAT(codes(ds), ElementsAre("self-reference"));
}

TEST(ValidateRevisions, RejectsSeveralHeadsUnlessAllowed) {
    std::vector<revision> revs{rev("a"), rev("b", {"a"}), rev("c", {"a"})};
    auto ds = validate_revisions(revs, {});
    EXPECT_THAT(codes(ds), ElementsAre("multiple-heads", "multiple-heads"));
    EXPECT_THAT(ds[0].message, HasSubstr("2 heads: b (b.sql:1), c (c.sql:1)"));
    EXPECT_TRUE(validate_revisions(revs, {.allow_multiple_heads = true}).empty());
}

TEST(ValidateRevisions, RejectsIrreversibleUnlessAllowed) {
    auto r = rev("a");
    r.irreversible = "data is gone";
    EXPECT_THAT(codes(validate_revisions({r}, {})), ElementsAre("irreversible"));
    EXPECT_TRUE(validate_revisions({r}, {.allow_irreversible = true}).empty());
}

TEST(ValidateRevisions, RejectsLabelsUsedTwiceOrClashingWithIds) {
    auto ds = validate_revisions({rev("a", {}, {}, {"x"}), rev("b", {"a"}, {}, {"x", "a"})}, {});
    EXPECT_THAT(codes(ds), ElementsAre("label-clash", "label-clash"));
}

// The version rows below are the ones Alembic 1.8 leaves in alembic_version for the same graph
// and commands (each case was run through Alembic 1.8.1 with the same graph).

TEST(RevisionGraphAlembicRows, UnmergingKeepsARowForADependencyAsAlembicDoes) {
    // r2 depends on r1 and is a second root; r3 merges them.
    revision_graph g(
        {rev("r0"), rev("r1", {"r0"}), rev("r2", {}, {"r1"}, {"two"}), rev("r3", {"r1", "r2"})});
    plan up = g.plan_upgrade({}, "heads");
    EXPECT_THAT(up.rows_after, ElementsAre("r3"));
    plan down = g.plan_downgrade(up.rows_after, "r1");
    EXPECT_THAT(ids(down), ElementsAre("r3"));
    // r1 stays a row although r2 depends on it: alembic_version holds both.
    EXPECT_THAT(down.rows_after, ElementsAre("r1", "r2"));
    // Rows that name a revision another row implies are read as the same state.
    EXPECT_THAT(g.applied({"r1", "r2"}), ElementsAre("r0", "r1", "r2"));
    plan again = g.plan_upgrade(down.rows_after, "heads");
    EXPECT_THAT(ids(again), ElementsAre("r3"));
    EXPECT_THAT(again.steps[0].rows_removed, ElementsAre("r1", "r2"));
    EXPECT_THAT(again.rows_after, ElementsAre("r3"));
}

TEST(RevisionGraphAlembicRows, DowngradeToARevisionKeepsWhatDependsOnIt) {
    // y1 (a second root) depends on x0; x1 revises x0.
    revision_graph g(
        {rev("x0"), rev("y1", {}, {"x0"}, {"y"}), rev("y2", {"y1"}), rev("x1", {"x0"})});
    plan up = g.plan_upgrade({}, "heads");
    EXPECT_THAT(up.rows_after, UnorderedElementsAre("y2", "x1"));
    plan down = g.plan_downgrade(up.rows_after, "x0");
    // Only what is above x0's children goes; y1 and y2 depend on x0, which stays.
    EXPECT_THAT(ids(down), ElementsAre("x1"));
    EXPECT_THAT(down.rows_after, ElementsAre("y2"));
}

TEST(RevisionGraphAlembicRows, DependencyAcrossBranchesLeavesOneRowAndComesBackOnDowngrade) {
    revision_graph g({rev("x1", {}, {}, {"x"}), rev("x2", {"x1"}), rev("y1", {}, {}, {"y"}),
                      rev("y2", {"y1"}, {"x2"})});
    plan up = g.plan_upgrade({}, "y2");
    EXPECT_THAT(ids(up), ElementsAre("x1", "x2", "y1", "y2"));
    EXPECT_THAT(up.rows_after, ElementsAre("y2"));
    // `alembic current` shows the dependency's branch too: no applied revision revises x2.
    EXPECT_THAT(g.current(up.rows_after), ElementsAre("x2", "y2"));
    plan down = g.plan_downgrade(up.rows_after, "y2-1");
    EXPECT_THAT(down.rows_after, ElementsAre("x2", "y1"));
    // Alembic reverts one of the two heads (the first row it reads) and warns that this will
    // be refused; pgmig refuses now (docs/design.md).
    EXPECT_THAT(graph_message([&] { (void)g.plan_downgrade(down.rows_after, "-1"); }),
                HasSubstr("ambiguous"));
    EXPECT_THAT(g.plan_downgrade(down.rows_after, "y@-1").rows_after, ElementsAre("x2"));
}

TEST(RevisionGraphAlembicRows, RelativeUpgradeWalksOntoAMergeAndTakesWhatItNeeds) {
    // r0 -> r1, r0 -> r2, r3 merges r2 and r1, r4 revises r1. From r2, `+1` walks to r2's only
    // child r3 and applies r1 with it, as Alembic does (not r1 alone).
    revision_graph g({rev("r0"), rev("r1", {"r0"}), rev("r2", {"r0"}), rev("r3", {"r2", "r1"}),
                      rev("r4", {"r1"})});
    plan p = g.plan_upgrade({"r2"}, "+1");
    EXPECT_THAT(ids(p), ElementsAre("r1", "r3"));
    EXPECT_THAT(p.rows_after, ElementsAre("r3"));
    // Alembic stops at the merge going down ("Ambiguous walk"); the last revision is r3 alone.
    EXPECT_THAT(ids(g.plan_downgrade({"r3"}, "-1")), ElementsAre("r3"));
}

TEST(RevisionGraphAlembicRows, LabelStepBackFromABranchWhoseRowADependantHolds) {
    // b (labelled) is a root; c depends on b and is the only row. `b@-1` walks down from b, the
    // branch's current revision, to base, and reverts what needs b, as Alembic does.
    revision_graph g({rev("b", {}, {}, {"bee"}), rev("a", {}, {}, {"ay"}), rev("c", {"a"}, {"b"})});
    plan up = g.plan_upgrade({}, "heads");
    EXPECT_THAT(up.rows_after, ElementsAre("c"));
    plan down = g.plan_downgrade(up.rows_after, "bee@-1");
    EXPECT_THAT(ids(down), ElementsAre("c", "b"));
    EXPECT_THAT(down.rows_after, ElementsAre("a"));
}

"""Pure domain rules: RIASEC scoring, conferences due, credit audit, early
graduation, policy 4030 compliance.

No I/O, no database, no UI. Inputs are the frozen records in `records` plus
the reference types from `seop_tui.reference` (used for type hints only, so
importing the domain loads neither yaml nor textual).
"""

from seop_tui.domain.compliance import ClauseResult, ClauseState, ClauseSummary, all_met, evaluate_student, summarize
from seop_tui.domain.conferences import ConferenceDue, ConferenceReview, ConferenceStatus, conferences_due
from seop_tui.domain.credits import (
    AreaLine,
    AuditState,
    CreditAudit,
    PathwayProgress,
    PlanIssue,
    audit,
    check_plan,
    pathway_level,
    pathway_progress,
    pathways_progress,
    plan_credits,
)
from seop_tui.domain.early_graduation import (
    EarlyGraduationCheck,
    check_early_graduation,
    early_graduation_applies,
    half_year_index,
)
from seop_tui.domain.records import (
    AssessmentResult,
    ConferenceRecord,
    CourseCredit,
    EarlyGraduationPlan,
    Goal,
    PlanEntry,
    StudentYear,
    TermPoint,
)
from seop_tui.domain.riasec import (
    AREAS,
    ClusterFit,
    PathwayFit,
    Profile,
    describe_code,
    explain_code,
    score,
    suggest_clusters,
)

__all__ = [
    "AREAS",
    "AreaLine",
    "AssessmentResult",
    "AuditState",
    "ClauseResult",
    "ClauseState",
    "ClauseSummary",
    "ClusterFit",
    "ConferenceDue",
    "ConferenceRecord",
    "ConferenceReview",
    "ConferenceStatus",
    "CourseCredit",
    "CreditAudit",
    "EarlyGraduationCheck",
    "EarlyGraduationPlan",
    "Goal",
    "PathwayFit",
    "PathwayProgress",
    "PlanEntry",
    "PlanIssue",
    "Profile",
    "StudentYear",
    "TermPoint",
    "all_met",
    "audit",
    "check_early_graduation",
    "check_plan",
    "conferences_due",
    "describe_code",
    "early_graduation_applies",
    "evaluate_student",
    "explain_code",
    "half_year_index",
    "pathway_level",
    "pathway_progress",
    "pathways_progress",
    "plan_credits",
    "score",
    "suggest_clusters",
    "summarize",
]

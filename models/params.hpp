#pragma once
// The parameters of a scenario, one struct per section of the YAML file (docs/model.md,
// section 1). Defaults here are MODEL.md's defaults; keys.cpp maps every scalar to its dotted
// path, range and documentation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/territory_params.hpp"

namespace salesim {

struct Range01 {
  double floor = 0, top = 0;
};
struct BetaSpec {
  double mean = 0.4, sd = 0.15;
};

struct SimulationParams {
  std::int64_t horizon_weeks = 52;
  std::int64_t paths = 10000;
  std::uint64_t seed = 1;
  std::string start_date;  // ISO date or empty
};

struct Checkpoint {
  int week = 0;
  double revenue = 0;
  std::string label;
};
struct GoalParams {
  std::optional<double> revenue;
  std::optional<double> by_week;  // whole number; null means the horizon
  std::vector<Checkpoint> checkpoints;
  std::string metric = "bookings";  // bookings | arr (revenue.model: recurring, docs/model.md 12.5)
};

struct MarketParams {
  double volatility = 0.0, persistence = 0.9, inbound_leads_per_week = 0.0, lead_quality = 0.5;
};

struct Stage {
  std::string name = "qualify", skill = "discovery";
  double hours = 0.5, exit_rate = 0.5;
  Range01 conversion{0.25, 0.45};
  double stale_loss = 0.10;
  std::int64_t initial_per_rep = 0;
  int skill_index = 0;  // resolved: index into the skill list
};
struct PipelineParams {
  double deal_mean = 25000, deal_cv = 0.8;
  std::vector<Stage> stages;
};

struct TeamParams {
  std::int64_t reps = 10, managers = 2;
  std::vector<std::pair<std::string, BetaSpec>> skills;  // as written in the file
  BetaSpec preference{0.6, 0.2};
  std::int64_t tenure_weeks = 104;
  double salary = 90000, manager_salary = 140000;
};

struct CapacityParams {
  double sustainable_hours = 40, max_hours = 55, admin_hours = 8, control_overhead = 0.5,
         manager_coaching_hours = 10;
};

struct ProspectingParams {
  std::string skill = "prospecting";
  Range01 yield{0.2, 0.6};
  std::optional<double> target_hours;
  bool mandatory = false;
  double avoidance = 0.5, icp_lift = 0.3;
};

struct BurnoutParams {
  double accumulation = 0.13, onset_load = 1.2, recovery = 0.10, discomfort = 0.05,
         conversion_loss = 0.4, capacity_loss = 0.3, attrition = 0.02;
};

struct PeopleParams {
  double attrition_annual = 0.15;
  bool backfill = true;
  std::int64_t time_to_fill_weeks = 8;
  double hire_cost = 20000;
  std::int64_t ramp_weeks = 26;
  BetaSpec new_hire_skill{0.3, 0.15};
  double handover_loss = 0.3;
};

struct SkillParams {
  double experience_rate = 0.002, training_half_life_weeks = 12, coaching_reference_hours = 1.0,
         coaching_reinforcement = 0.8, coaching_transfer = 0.05, coaching_growth = 0.01;
};

struct OrgParams {
  double alignment = 0.3, awareness = 0.0, manager_coaching_skill = 0.5,
         coaching_hours_per_rep = 0.0;
};

struct CompensationParams {
  double commission_rate = 0.08, effort_elasticity = 0.3;
  std::string on = "bookings";  // bookings | acv | first_year (docs/model.md 12.5)
};
struct CostParams {
  double marketing_per_week = 0.0;
};

// Recurring revenue (docs/model.md 12.5): off unless model is "recurring".
struct RevenueParams {
  std::string model = "bookings";  // bookings | recurring
  double term_months = 12, renewal_rate = 0.85, expansion_rate = 0.10, ramp_months = 0;
};
struct CustomerParams {  // the contract base at week 1
  std::int64_t count = 0;
  double acv_mean = 12000, acv_cv = 0.5;
};

// Calendars (docs/model.md 12.6): off unless given.
struct CalendarParams {
  std::vector<std::string> holidays;  // ISO dates; need simulation.start_date
  double vacation_weeks_per_rep = 0;  // spread evenly over the year
  std::vector<double> by_month;       // seasonality, 12 factors (January first) or empty
};

struct Hire {
  int week = 0;
  int count = 0;
};

enum class Participants { all, new_hires, bottom_half };
enum class Targeting { gap, generic };
struct TrainingProgram {
  std::string name;
  int start_week = 0, weeks = 4;
  double hours_per_week = 4;
  Participants participants = Participants::all;
  Targeting targeting = Targeting::gap;
  int focus_skills = 2;  // at or above the number of skills J: every skill (MODEL.md 3.8)
  double efficacy = 0.35, cost_per_person = 1500;
};
// MODEL.md gives focus_skills no upper limit; this one only keeps the number sane.
inline constexpr int kMaxFocusSkills = 1000;

enum class ProgramKind { coach_the_coaches, profiling, alignment, coaching_policy };
struct Program {
  ProgramKind kind = ProgramKind::alignment;
  std::string name;
  int start_week = 0;
  double value = 0;            // the kind's value key: m, w, a or c_pol
  double cost = 0;             // flat cost (coach_the_coaches, alignment)
  double cost_per_person = 0;  // profiling
  double hours_per_rep = 0;    // alignment
};

// Everything a plan can change plus what it cannot; a plan is a copy with overrides.
struct Params {
  SimulationParams simulation;
  GoalParams goal;
  MarketParams market;
  PipelineParams pipeline;
  TeamParams team;
  CapacityParams capacity;
  ProspectingParams prospecting;
  BurnoutParams burnout;
  PeopleParams people;
  SkillParams skills;
  OrgParams org;
  CompensationParams compensation;
  CostParams costs;
  RevenueParams revenue;
  CustomerParams customers;
  CalendarParams calendar;
  std::vector<Hire> hiring;
  std::vector<TrainingProgram> training;
  std::vector<Program> programs;
  SegmentParams segments;  // docs/model.md 12.7: segments and territories (off when empty)
  QuotaParams quota;       // 12.8: team.quota and compensation.accelerators (off when absent)
};

const char* to_string(ProgramKind k);
const char* to_string(Participants p);
const char* to_string(Targeting t);

}  // namespace salesim

#pragma once
// A share of deals that never close (a cure fraction), per rep, and the hazards of the deals
// that do. A deal is created dead with probability pi (its rep's share): it stays open for
// ever, neither won nor lost. A live deal closes under the age hazards. An open deal of age c
// is then live with probability (1 - pi) S(c) / (pi + (1 - pi) S(c)), S the live survival, so
// old open deals are mostly the dead ones, and the live hazards are estimated on the exposure
// of the deals that are not dead, not on every open deal's.
//
// Left truncation is handled in the likelihood: a deal that entered the history at age e > 0
// (it was created before the history start) counts only from its entry, conditional on being
// open then, i.e. its likelihood is divided by P(open at e) = pi + (1 - pi) S(e). The maximum
// likelihood equations then read, per band b of the hazards and for the share:
//   rate_b = closes_b / sum_i [ w_i exposure_b(0..c_i) - v_i exposure_b(0..e_i) ]
//   sum_i (1 - w_i) = sum_i (1 - v_i)
// with w_i = P(live | open at c_i) (1 for closed deals) and v_i = P(live | open at e_i): a late
// entrant's chance to be dead is raised by its having survived to its entry, and only the
// excess of deadness its later survival shows is evidence for the share. Both are solved by
// alternating (the rates by the fixed point above, the share by a one-dimensional maximum of
// the profile likelihood) until they stop moving.
//
// Per rep: the reps' shares are drawn from a Beta distribution of mean m (the
// team's share) and strength k, estimated by maximizing the marginal likelihood of all reps
// (empirical Bayes: each rep's profile likelihood integrated over the Beta on a grid of shares);
// each rep's share is its posterior mean, so a rep with few deals is pulled toward the team's.
// A rep whose deals alone say "no share" and one whose say "a third" keep that difference when
// their deals are many; k large means the reps do not differ.
//
// Why per rep and not one share for the team: with hazards free by age band, a share common to
// every deal is hardly identified apart from the hazards (a mixture's hazard is itself a function
// of age, which the bands already fit; on synthetic exports with a true share of 20% the common
// share's likelihood is flat or highest at 0). What identifies the share is its differences
// between reps whose live deals share one age profile: the reps' survival curves level off at
// different heights.
#include <optional>
#include <string>
#include <vector>

#include "models/crm/hazards.hpp"

namespace salesim::crm {

enum class NeverClose { off, per_rep };

// One rep's share: its own maximum-likelihood estimate and the posterior mean used.
struct RepShare {
  std::string owner;
  std::size_t deals = 0, open = 0;  // at risk in the history; open on the day
  double own = 0, share = 0, sd = 0;
};

struct CureFit {
  NeverClose mode = NeverClose::per_rep;
  Hazards live;                   // the live deals' hazards, on the pooled fit's bands
  double team = 0;                // the team's share at creation: the reps' Beta's mean
  double prior_strength = 0;      // k of that Beta, in deals
  std::vector<double> rep;        // per owner (History::owners): the share used
  std::vector<RepShare> reps;     // per owner
  std::vector<double> live_prob;  // per History::deals: P(live | seen); 1 for closed deals
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0;  // the reps' marginal log-likelihood (profiles, hazards fixed)

  double share_of(int owner) const {
    return owner >= 0 && owner < int(rep.size()) ? rep[owner] : team;
  }
  // P(live) of a deal of this owner that is open at age_days (survived days 0..age_days - 1).
  double live_at(int owner, int age_days) const;
};

// nullopt when mode is off. `pooled` gives the bands (closes and the stale age).
std::optional<CureFit> fit_cure(const History& h, const Hazards& pooled, NeverClose mode,
                                int max_iterations = 3000);

}  // namespace salesim::crm

//! The simulated network the maxout tests share: `mnp simulate --circuits 16
//! --duration 2h --interval 60s --seed 7` and its circuits in the inventory.
//! Every 5th circuit maxes out (SIM-0001, -0006, -0011, -0016), twice in the
//! two hours: 8 episodes (`Simulator::expected`, checked by hand).
#![allow(dead_code)] // each test file uses a part

use mnp_maxout::simulate::{SimConfig, Simulator};
use mnp_maxout::units::Seconds;
use mnp_store::{Circuit, Customer, Store};

/// The simulator's configuration, as the `simulate` arguments above.
pub fn sim_config() -> SimConfig {
    SimConfig {
        circuits: 16,
        duration: Seconds::minutes(120),
        interval: Seconds(60),
        seed: 7,
        ..SimConfig::default()
    }
}

/// The `mnp simulate` arguments of [`sim_config`].
pub const SIM_ARGS: [&str; 9] = [
    "simulate",
    "--circuits",
    "16",
    "--duration",
    "2h",
    "--interval",
    "60s",
    "--seed",
    "7",
];

/// [`SIM_ARGS`] followed by `extra`.
pub fn sim_cmd<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = SIM_ARGS.to_vec();
    v.extend_from_slice(extra);
    v
}

/// A customer whose name and contact come from the test (e.g. one that
/// needs escaping), with the demo seed's account manager and CX team.
pub fn add_customer(db: &str, id: &str, name: &str, contact: &str) {
    Store::open(db)
        .unwrap()
        .upsert_customer(&Customer {
            customer_id: id.into(),
            name: name.into(),
            contact_email: Some(contact.into()),
            account_manager_email: Some("am.south@mnp-demo.example".into()),
            cx_team_email: Some("cx@mnp-demo.example".into()),
        })
        .unwrap();
}

/// The simulator's circuits in the inventory; circuit `i` (0-based) belongs
/// to `owner(i)`.
pub fn add_sim_circuits(db: &str, owner: impl Fn(usize) -> &'static str) {
    let mut s = Store::open(db).unwrap();
    let sim = Simulator::new(sim_config()).unwrap();
    for (i, c) in sim.circuits().iter().enumerate() {
        s.upsert_circuit(&Circuit {
            internal_circuit_id: uuid::Uuid::new_v4(),
            vendor_circuit_id: c.id.clone(),
            vendor_id: "fiberprovider".into(),
            customer_id: Some(owner(i).into()),
            provisioned_bps: Some(c.provisioned_bps as i64),
            burst_bps: c.burst_bps.map(|b| b as i64),
            sla_id: None,
            sla_epoch: None,
            description: format!("simulated {}", c.id),
        })
        .unwrap();
    }
}

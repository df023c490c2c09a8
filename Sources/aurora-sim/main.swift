print("aurora-sim")

"""The ground floor: settings, the error hierarchy and the clock. Imports nothing of ours."""
